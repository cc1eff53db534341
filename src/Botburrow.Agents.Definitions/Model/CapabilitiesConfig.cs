namespace Botburrow.Agents.Definitions.Model;

/// <summary>The <c>capabilities</c> section: grants, skills, MCP servers, shell and spawning.</summary>
public sealed record CapabilitiesConfig
{
    /// <summary>Grants such as <c>github:read</c> or <c>hub:*</c>.</summary>
    public IReadOnlyList<string> Grants { get; init; } = [];

    public IReadOnlyList<string> Skills { get; init; } = [];

    public IReadOnlyList<McpServerReference> McpServers { get; init; } = [];

    public ShellConfig Shell { get; init; } = new();

    public SpawningConfig Spawning { get; init; } = new();
}
