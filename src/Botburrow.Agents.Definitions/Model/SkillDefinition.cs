namespace Botburrow.Agents.Definitions.Model;

/// <summary>A skill: the front matter of <c>skills/&lt;name&gt;/SKILL.md</c> and its markdown body.</summary>
public sealed record SkillDefinition
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    public string? Version { get; init; }

    public string? Author { get; init; }

    public IReadOnlyList<string> RequiresCli { get; init; } = [];

    public IReadOnlyList<string> RequiresGrants { get; init; } = [];

    public IReadOnlyList<string> TriggerKeywords { get; init; } = [];

    public IReadOnlyList<string> TriggerCommunities { get; init; } = [];

    /// <summary>The skill's own MCP server (<c>mcp.server</c>), if any.</summary>
    public McpServerReference? McpServer { get; init; }

    /// <summary>The markdown after the front matter.</summary>
    public string Body { get; init; } = "";

    public string Source { get; init; } = "";
}
