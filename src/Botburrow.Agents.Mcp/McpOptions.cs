using Botburrow.Agents.Configuration;
using Botburrow.Agents.Isolation;

namespace Botburrow.Agents.Mcp;

/// <summary>How the MCP manager starts servers.</summary>
public sealed class McpOptions
{
    /// <summary>Per-call timeout of a tool (<c>MCP_TIMEOUT</c>). <value>30 s.</value></summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a server may take to start and list its tools (the first <c>npx -y</c> downloads its package);
    /// never less than <see cref="Timeout"/>. <value>120 s.</value>
    /// </summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(120);

    /// <summary>The runner's environment, where credentials come from (never handed on whole).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; set; } = new Dictionary<string, string?>();

    /// <summary>
    /// The command line that runs <c>botburrow</c> (for the built-in <c>hub</c> server), e.g. <c>["dotnet", "/app/botburrow.dll"]</c>;
    /// default: this process's executable.
    /// </summary>
    public IReadOnlyList<string> BotburrowCommand { get; set; } = DefaultBotburrowCommand();

    /// <summary>The built-in servers agents may name. <value>Default <see cref="Catalog.McpCatalog.All"/>.</value></summary>
    public IReadOnlyList<Catalog.BuiltInServer> Catalog { get; set; } = Mcp.Catalog.McpCatalog.All;

    /// <summary>How stdio servers are confined; <see langword="null"/> runs them unconfined. <value>None (the runner sets one from <c>SANDBOX</c>).</value></summary>
    public ChildSandbox? Sandbox { get; set; }

    /// <summary>
    /// The npm cache stdio servers share across activations (<c>npx -y</c> fetches a package once), or
    /// <see langword="null"/> for one in each server's home. <value>The runner's <c>npm_config_cache</c>, else <c>~/.npm</c>.</value>
    /// </summary>
    public string? NpmCache { get; set; }

    public static McpOptions FromSettings(BotburrowSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var credentials = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var mapping in Mcp.Catalog.McpCatalog.All.SelectMany(s => s.Credentials))
        {
            credentials[mapping.Setting] = settings.Get(mapping.Setting);
        }

        string? Env(string name) => settings.Environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
        var npmCache = Env("npm_config_cache") ?? (Env("HOME") is { } home ? Path.Combine(home, ".npm") : null);
        return new McpOptions { Timeout = settings.McpTimeout, Environment = credentials, NpmCache = npmCache };
    }

    /// <summary>This process as a command: the apphost itself, or <c>dotnet</c> with the entry assembly.</summary>
    public static IReadOnlyList<string> DefaultBotburrowCommand()
    {
        var process = System.Environment.ProcessPath ?? "botburrow";
        var entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        var isDotnetHost = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return isDotnetHost && !string.IsNullOrEmpty(entry) ? [process, entry] : [process];
    }
}
