namespace Botburrow.Agents.Mcp;

/// <summary>
/// How one MCP server of an activation is reached: a stdio command line with the environment it receives (its
/// granted credentials and extras only; whoever starts it adds PATH and HOME), or an HTTP endpoint with headers.
/// The runner starts these itself for native agents and writes them into a CLI tool's MCP configuration.
/// </summary>
public sealed record McpServerLaunch
{
    /// <summary>The server's name; tools are namespaced with it.</summary>
    public required string Name { get; init; }

    /// <summary>Program then arguments (stdio servers).</summary>
    public IReadOnlyList<string> CommandLine { get; init; } = [];

    /// <summary>Credentials and extras the server receives (stdio servers).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The endpoint of an HTTP server, or <see langword="null"/> for a stdio server.</summary>
    public Uri? Url { get; init; }

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Tools of this server the agent must not call (write tools without the write grant).</summary>
    public IReadOnlySet<string> HiddenTools { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>The grant whose absence hides <see cref="HiddenTools"/>.</summary>
    public string? HiddenForLackOf { get; init; }

    /// <summary>True for a server of the built-in catalog.</summary>
    public bool IsBuiltIn { get; init; }
}
