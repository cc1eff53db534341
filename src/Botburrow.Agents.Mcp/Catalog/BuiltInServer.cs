namespace Botburrow.Agents.Mcp.Catalog;

/// <summary>
/// A server of the built-in catalog: how it starts, the grant it needs (<see cref="ReadGrant"/>), the grant its
/// write tools need, and the credentials it receives.
/// </summary>
public sealed record BuiltInServer
{
    /// <summary>The name tools are namespaced with (<c>github__create_issue</c>).</summary>
    public required string Name { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The command line (program first), given the activation and the manager's options.</summary>
    public required Func<McpStartContext, McpOptions, IReadOnlyList<string>> CommandLine { get; init; }

    /// <summary>Needed to start the server at all.</summary>
    public required string ReadGrant { get; init; }

    /// <summary>Needed for <see cref="WriteTools"/>; without it those tools are hidden.</summary>
    public string? WriteGrant { get; init; }

    /// <summary>The tools that change something (by name); hidden from agents without <see cref="WriteGrant"/>.</summary>
    public IReadOnlySet<string> WriteTools { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Credentials passed into its environment; each must be set in the runner's environment.</summary>
    public IReadOnlyList<CredentialMapping> Credentials { get; init; } = [];

    /// <summary>Extra environment built from the start context (e.g. the Hub server's agent and grants).</summary>
    public Func<McpStartContext, IReadOnlyDictionary<string, string>>? ExtraEnvironment { get; init; }
}
