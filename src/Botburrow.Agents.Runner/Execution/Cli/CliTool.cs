using System.Text;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Mcp;

namespace Botburrow.Agents.Runner.Execution.Cli;

/// <summary>
/// One coding CLI as a headless executor: the program it runs, the command line, files and environment it is
/// given for one prompt, and how its answer, tokens and cost are read from what it prints. Each subclass follows
/// its tool's own documentation; <c>docs/executors.md</c> shows every command line.
/// </summary>
public abstract class CliTool
{
    /// <summary>The agent <c>type</c> this tool runs.</summary>
    public abstract AgentType Type { get; }

    /// <summary>The program looked up on <c>PATH</c> (<c>claude</c>, <c>goose</c>, <c>aider</c>, <c>opencode</c>).</summary>
    public abstract string Program { get; }

    /// <summary>True when the tool starts MCP servers itself (the runner's Hub endpoint among them).</summary>
    public virtual bool SpeaksMcp => true;

    /// <summary>
    /// True when the tool can refuse single MCP tools by name (its configuration or flags); otherwise servers with
    /// tools the agent may not use run behind <c>botburrow mcp filter</c>.
    /// </summary>
    public virtual bool RefusesToolsByName => true;

    /// <summary>The agent type's name, as in definitions and log lines.</summary>
    public string TypeName => Activation.ExecutorSelector.TypeName(Type);

    /// <summary>Why the tool cannot use the agent's provider, or <see langword="null"/> when it can.</summary>
    public virtual string? CheckProvider(ProviderAccess provider) => null;

    /// <summary>The command line, environment and input for one prompt; configuration files go into <see cref="CliRequest.ConfigDirectory"/>.</summary>
    public abstract CliInvocation Prepare(CliRequest request);

    /// <summary>
    /// The answer read from what the tool printed. Throws <see cref="CliToolFailedException"/> with the tool's own
    /// reason when it reports an error or exits with a failure.
    /// </summary>
    public abstract CliReply Read(ChildProcessResult result, CliRequest request);

    /// <summary>Writes a file only the runner's user can read (tool configurations may hold scoped credentials).</summary>
    protected static string WritePrivateFile(string directory, string name, string content)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var path = Path.Combine(directory, name);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var stream = new FileStream(path, options);
        stream.Write(Encoding.UTF8.GetBytes(content));
        return path;
    }

    /// <summary>A string map as a JSON object (environment variables, headers).</summary>
    protected static System.Text.Json.Nodes.JsonObject ToJson(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var json = new System.Text.Json.Nodes.JsonObject();
        foreach (var (key, value) in values)
        {
            json[key] = value;
        }

        return json;
    }

    /// <summary>A JSON number as a whole number; 0 when missing or not a number.</summary>
    protected static long WholeNumber(System.Text.Json.Nodes.JsonNode? node)
        => node is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<long>(out var number) ? number : 0;

    /// <summary>The last non-empty line of the tool's standard error (or output), for failure messages.</summary>
    protected static string LastLine(ChildProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        foreach (var text in new[] { result.StandardError, result.StandardOutput })
        {
            var line = text.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0);
            if (line is not null)
            {
                return line.Length <= 500 ? line : line[..500] + "…";
            }
        }

        return "no output";
    }

    /// <summary>The failure of a tool that exited with <paramref name="result"/>'s non-zero code.</summary>
    protected static CliToolFailedException ExitedWith(ChildProcessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new CliToolFailedException($"exited with code {result.ExitCode}: {LastLine(result)}");
    }
}

/// <summary>What one prompt to a CLI tool is made of.</summary>
public sealed record CliRequest
{
    public required AgentDefinition Agent { get; init; }

    /// <summary>The system prompt (the agent's, naming its tools).</summary>
    public required string SystemPrompt { get; init; }

    /// <summary>The question as the tool is to read it.</summary>
    public required string UserPrompt { get; init; }

    /// <summary>The tool's working directory inside the activation's workspace.</summary>
    public required string Workspace { get; init; }

    /// <summary>The tool's home directory inside the workspace (its own configuration and state, gone afterwards).</summary>
    public required string Home { get; init; }

    /// <summary>Where the runner writes the tool's configuration files (owner-only, inside the workspace).</summary>
    public required string ConfigDirectory { get; init; }

    public required ProviderAccess Provider { get; init; }

    /// <summary>The MCP servers the tool starts (the Hub's first), with their scoped credentials.</summary>
    public IReadOnlyList<McpServerLaunch> Servers { get; init; } = [];

    /// <summary>What the tool's own file and shell tools may do.</summary>
    public CliPermissions Permissions { get; init; } = new();

    /// <summary>The runner's cache folder, shared by activations (packages a tool fetches at run time).</summary>
    public string? SharedCache { get; init; }

    /// <summary>USD the activation may still spend (tools that take a spending cap get it), or <see langword="null"/> for no limit.</summary>
    public decimal? BudgetLeftUsd { get; init; }

    /// <summary>The agent's turn cap (<c>behavior.max_iterations</c>, else <c>MAX_ITERATIONS</c>).</summary>
    public required int MaxTurns { get; init; }
}

/// <summary>How a CLI tool is started for one prompt.</summary>
public sealed record CliInvocation
{
    /// <summary>Arguments after the program.</summary>
    public required IReadOnlyList<string> Arguments { get; init; }

    /// <summary>The tool's own settings (no secrets beyond the provider key); the executor adds PATH, HOME, LANG and TMPDIR.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Text written to the tool's standard input (then closed), or <see langword="null"/> for none.</summary>
    public string? StandardInput { get; init; }
}

/// <summary>The answer a CLI tool gave and what it reported spending.</summary>
public sealed record CliReply
{
    public required string Text { get; init; }

    public string? Model { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    /// <summary>The cost the tool itself reported, or <see langword="null"/> (the price table then prices the tokens).</summary>
    public decimal? CostUsd { get; init; }

    public int Turns { get; init; } = 1;
}

/// <summary>A CLI tool reported a failure or exited with one.</summary>
public sealed class CliToolFailedException : Exception
{
    public CliToolFailedException()
    {
    }

    public CliToolFailedException(string message)
        : base(message)
    {
    }

    public CliToolFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
