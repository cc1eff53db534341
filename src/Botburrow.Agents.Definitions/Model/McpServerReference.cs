namespace Botburrow.Agents.Definitions.Model;

/// <summary>
/// An MCP server an agent connects to: a built-in one by name, a stdio server (<see cref="Command"/>) or a
/// streamable HTTP server (<see cref="Url"/>).
/// </summary>
public sealed record McpServerReference
{
    public required string Name { get; init; }

    public string? Command { get; init; }

    public IReadOnlyList<string> Args { get; init; } = [];

    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    public Uri? Url { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>Named only: one of <see cref="BuiltInMcpServers.Names"/>.</summary>
    public bool IsBuiltIn => Command is null && Url is null;
}
