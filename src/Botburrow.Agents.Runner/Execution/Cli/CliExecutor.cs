using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Isolation;
using Botburrow.Agents.Mcp;
using Botburrow.Agents.Work;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Runner.Execution.Cli;

/// <summary>
/// Runs an agent through a coding CLI (<see cref="CliTool"/>) as a child process: in the activation's workspace
/// (working directory <c>work</c>; its configuration in the runner's <c>.botburrow</c> beside it, out of the
/// file tools' reach; its own home in <c>.home</c>), an environment of only PATH, HOME, LANG, TMPDIR, the npm cache, the agent's provider
/// key and the tool's own switches (MCP servers get their scoped credentials through the tool's configuration file, never the
/// tool's environment; the Hub is the runner's own endpoint, reached with a token of the activation's, never a Hub key), killed with everything it started when the activation times out or is cancelled. The
/// answer is read from the tool's structured output and posted by the runner, unless the tool already posted it
/// through <c>hub_post</c> (the endpoint counts the activation's posts). Under <c>SANDBOX</c> the tool runs confined
/// (<see cref="ChildSandbox"/>): it sees the workspace, its install folders and the shared package caches, and nothing
/// else of the runner's files or processes.
/// </summary>
public sealed partial class CliExecutor : IAgentExecutor
{
    private const string DefaultPath = "/usr/local/bin:/usr/bin:/bin";

    private readonly BotburrowSettings _settings;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly PermissionsPolicySource _permissions;
    private readonly int _defaultMaxTurns;
    private readonly ChildSandbox _sandbox;
    private readonly ActivationToolProvider _tools;

    /// <param name="tool">The CLI tool.</param>
    /// <param name="settings">The runner's settings.</param>
    /// <param name="tools">Opens the activation's workspace and the MCP servers the tool starts.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="logger">Where the executor logs.</param>
    /// <param name="sandbox">How the tool is confined; default: <see cref="ChildSandbox.FromSettings"/>.</param>
    public CliExecutor(CliTool tool, BotburrowSettings settings, ActivationToolProvider tools, TimeProvider timeProvider, ILogger logger, ChildSandbox? sandbox = null)
    {
        ArgumentNullException.ThrowIfNull(tool);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(tools);
        Tool = tool;
        _tools = tools;
        _settings = settings;
        _time = timeProvider;
        _logger = logger;
        _permissions = new PermissionsPolicySource(settings.AgentPermissionsPath);
        _defaultMaxTurns = settings.MaxIterations;
        _sandbox = sandbox ?? ChildSandbox.FromSettings(settings, logger);
    }

    public CliTool Tool { get; }

    /// <summary>The <c>PATH</c> the tool is looked up on and started with (the runner's).</summary>
    public string SearchPath => _settings.Environment.TryGetValue("PATH", out var path) && !string.IsNullOrEmpty(path) ? path : DefaultPath;

    /// <summary>Where the tool's program is, or <see langword="null"/> when it is not installed.</summary>
    public string? Locate() => ExecutableLocator.Find(Tool.Program, SearchPath);

    /// <summary>Why the tool cannot run <paramref name="agent"/> at all (not installed, or not for its provider), or <see langword="null"/>.</summary>
    public string? CheckInstalled(AgentDefinition agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return Locate() is null
            ? $"'{Tool.Program}' not found on PATH"
            : Tool.CheckProvider(ProviderAccess.For(agent, _settings.Environment, _permissions));
    }

    public string? CheckAvailability(AgentDefinition agent)
        => CheckInstalled(agent) ?? ProviderAccess.For(agent, _settings.Environment, _permissions).Problem;

    public async ValueTask<IExecutorSession> OpenAsync(ActivationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ActivationTools opened;
        try
        {
            opened = await _tools.OpenForCliToolAsync(context.Agent, context.ActivationId, filterHiddenTools: !Tool.RefusesToolsByName, context.CheckLeaseAsync, cancellationToken);
        }
        catch (Exception ex) when (ex is McpServerException or PermissionsPolicyException)
        {
            throw new ActivationFailedException(ex.Message, ex);
        }

        return new CliSession(this, context, opened);
    }

    /// <summary>Runs the tool once on <paramref name="question"/> in the session's workspace.</summary>
    internal async Task<AgentAnswer> AnswerAsync(ActivationContext context, ActivationTools tools, string systemPrompt, AgentQuestion question, ConversationRecorder conversation, CancellationToken cancellationToken)
    {
        var agent = context.Agent;
        var workspace = tools.WorkspaceDirectory ?? throw new InvalidOperationException($"Executor '{Tool.TypeName}' needs the activation's workspace");

        // The program was found when the executor was chosen for this activation; a tool removed since fails here.
        var program = Locate() ?? throw new ActivationFailedException($"Executor '{Tool.TypeName}' not available: '{Tool.Program}' not found on PATH");
        var meter = context.Meter;
        var request = new CliRequest
        {
            Agent = agent,
            SystemPrompt = systemPrompt,
            UserPrompt = question.Text,
            Workspace = CreatePrivateDirectory(workspace, ActivationWorkspace.WorkFolder),
            Home = CreatePrivateDirectory(workspace, ActivationWorkspace.HomeFolder),
            ConfigDirectory = CreatePrivateDirectory(workspace, ActivationWorkspace.RunnerFolder),
            Provider = ProviderAccess.For(agent, _settings.Environment, _permissions),
            Servers = Tool.SpeaksMcp ? tools.Servers : [],
            MaxTurns = agent.Behavior.MaxIterations ?? _defaultMaxTurns,
            Permissions = CliPermissions.For(agent, tools.Grants),
            SharedCache = RunnerFolder(".cache", workspace),
            BudgetLeftUsd = meter.BudgetUsd is { } budget ? Math.Max(0m, budget - (meter.CostUsd ?? 0m)) : null,
        };
        var invocation = Tool.Prepare(request);
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = SearchPath,
            ["HOME"] = request.Home,
            ["LANG"] = _settings.Environment.TryGetValue("LANG", out var lang) && !string.IsNullOrEmpty(lang) ? lang : "C.UTF-8",
            ["TMPDIR"] = CreatePrivateDirectory(workspace, ActivationWorkspace.TempFolder),

            // The MCP servers the tool starts with `npx -y` share the runner's npm cache instead of downloading
            // their package again into every activation's fresh home.
            ["npm_config_cache"] = _settings.Environment.TryGetValue("npm_config_cache", out var npmCache) && !string.IsNullOrEmpty(npmCache) ? npmCache : RunnerFolder(".npm", workspace),
        };
        foreach (var (key, value) in invocation.Environment)
        {
            environment[key] = value;
        }

        var command = Confine(program, invocation, request, workspace, environment);
        conversation.RecordRequest([new ChatMessage(ChatRole.System, systemPrompt), new ChatMessage(ChatRole.User, question.Text)]);

        // Starting the tool is an effect of the activation: a runner that lost its lease starts nothing.
        if (await context.CheckLeaseAsync(cancellationToken) is { } refused)
        {
            LogToolNotStarted(_logger, Tool.TypeName, agent.Name, context.ActivationId, refused);
            throw new LeaseLostException(refused);
        }

        if (_logger.IsEnabled(LogLevel.Debug))
        {
            var shown = string.Join(' ', invocation.Arguments.Select(Shorten));
            LogExecutorRunning(_logger, Tool.TypeName, agent.Name, context.ActivationId, command.Confined ? program + " (confined)" : program, shown);
        }

        var started = _time.GetTimestamp();
        ChildProcessResult result;
        try
        {
            result = await ChildProcess.RunAsync(command.Program, command.Arguments, environment, request.Workspace, invocation.StandardInput, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogExecutorKilled(_logger, Tool.TypeName, agent.Name, context.ActivationId, _time.GetElapsedTime(started).TotalSeconds);
            throw;
        }

        var elapsed = _time.GetElapsedTime(started);
        CliReply reply;
        try
        {
            reply = Tool.Read(result, request);
        }
        catch (CliToolFailedException ex)
        {
            LogExecutorError(_logger, Tool.TypeName, agent.Name, context.ActivationId, result.ExitCode, ex.Message);
            throw new ActivationFailedException($"Executor '{Tool.TypeName}' failed: {ex.Message}", ex);
        }

        var model = reply.Model ?? agent.Brain.Model;
        conversation.RecordResponse(reply.Turns, new ChatResponse(new ChatMessage(ChatRole.Assistant, reply.Text)) { ModelId = model }, reply.InputTokens, reply.OutputTokens);
        LogExecutorCompleted(_logger, Tool.TypeName, agent.Name, context.ActivationId, elapsed.TotalSeconds, reply.InputTokens, reply.OutputTokens, reply.Turns);
        return new AgentAnswer
        {
            Text = reply.Text,
            Model = model,
            InputTokens = reply.InputTokens,
            OutputTokens = reply.OutputTokens,
            CostUsd = reply.CostUsd,
            Iterations = reply.Turns,
        };
    }

    /// <summary>
    /// The tool's command line inside the sandbox: the workspace read-write, the programs of the MCP servers it starts
    /// read-only, and the shared npm cache (and the tool's package cache, when it keeps one) writable.
    /// </summary>
    private SandboxedCommand Confine(string program, CliInvocation invocation, CliRequest request, string workspace, Dictionary<string, string> environment)
    {
        List<string> shared = [environment["npm_config_cache"]];
        if (invocation.Environment.TryGetValue("XDG_CACHE_HOME", out var cache))
        {
            shared.Add(cache);
        }

        try
        {
            return _sandbox.Wrap(new SandboxRequest
            {
                Program = program,
                Arguments = invocation.Arguments,
                Workspace = workspace,
                WorkingDirectory = request.Workspace,
                SharedWritable = shared,
                ReadOnly = [.. request.Servers.SelectMany(s => s.CommandLine).Where(Path.IsPathFullyQualified)],
            });
        }
        catch (SandboxUnavailableException ex)
        {
            throw new ActivationFailedException($"Executor '{Tool.TypeName}' cannot run: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// A folder of the runner's own home shared by activations (<c>~/.npm</c>, <c>~/.cache</c>), where tools keep
    /// packages they fetch; beside the workspaces when the runner has no HOME.
    /// </summary>
    private string RunnerFolder(string name, string workspace)
        => _settings.Environment.TryGetValue("HOME", out var home) && !string.IsNullOrEmpty(home) ? Path.Combine(home, name)
            : Path.Combine(Path.GetDirectoryName(workspace) ?? workspace, name);

    private static string CreatePrivateDirectory(string parent, string name) => ActivationWorkspace.CreatePrivateDirectory(Path.Combine(parent, name));

    /// <summary>Long arguments (prompts, inline configuration) are cut in log lines.</summary>
    private static string Shorten(string argument)
    {
        var text = argument.ReplaceLineEndings(" ");
        text = text.Length <= 80 ? text : text[..80] + "…";
        return text.Contains(' ', StringComparison.Ordinal) ? "\"" + text + "\"" : text;
    }

    [LoggerMessage(EventName = "executor_running", Level = LogLevel.Debug, Message = "Executor {Executor} runs agent {AgentId} (activation {ActivationId}): {Program} {Arguments}")]
    private static partial void LogExecutorRunning(ILogger logger, string executor, string agentId, string activationId, string program, string arguments);

    [LoggerMessage(EventName = "executor_completed", Level = LogLevel.Information, Message = "Executor {Executor} answered for agent {AgentId} (activation {ActivationId}) in {Seconds:0.##} s: {InputTokens} input and {OutputTokens} output tokens, {Turns} turn(s)")]
    private static partial void LogExecutorCompleted(ILogger logger, string executor, string agentId, string activationId, double seconds, long inputTokens, long outputTokens, int turns);

    [LoggerMessage(EventName = "executor_error", Level = LogLevel.Error, Message = "Executor {Executor} failed for agent {AgentId} (activation {ActivationId}, exit code {ExitCode}): {Reason}")]
    private static partial void LogExecutorError(ILogger logger, string executor, string agentId, string activationId, int exitCode, string reason);

    [LoggerMessage(EventName = "executor_not_started", Level = LogLevel.Warning, Message = "Executor {Executor} not started for agent {AgentId} (activation {ActivationId}): {Reason}")]
    private static partial void LogToolNotStarted(ILogger logger, string executor, string agentId, string activationId, string reason);

    [LoggerMessage(EventName = "executor_timeout", Level = LogLevel.Warning, Message = "Executor {Executor} for agent {AgentId} (activation {ActivationId}) stopped after {Seconds:0.##} s (timeout or cancellation); its process group was killed")]
    private static partial void LogExecutorKilled(ILogger logger, string executor, string agentId, string activationId, double seconds);
}
