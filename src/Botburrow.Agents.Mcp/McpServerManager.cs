using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Grants;
using Botburrow.Agents.Isolation;
using Botburrow.Agents.Mcp.Catalog;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;

namespace Botburrow.Agents.Mcp;

/// <summary>
/// Starts the MCP servers of one activation. A built-in server starts only when the agent holds its grant and
/// gets only its own credential; stdio servers never inherit the runner's environment (the SDK's safe defaults
/// such as PATH, plus a HOME of their own in the activation's workspace and what the server is given), confined by
/// <see cref="McpOptions.Sandbox"/> when one is set. Tools are namespaced per server
/// (<c>github__create_issue</c>), bounded by <c>MCP_TIMEOUT</c>, and write tools of the catalog's servers are
/// hidden from agents without the write grant. A server that cannot start fails the activation.
/// </summary>
public sealed class McpServerManager
{
    /// <summary>Separates a server's name from its tool's name.</summary>
    public const string Separator = "__";

    private const int StderrLinesKept = 5;

    private readonly McpOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;

    public McpServerManager(McpOptions options, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Botburrow.Agents.Mcp");
    }

    /// <summary>
    /// Starts <paramref name="servers"/> for the activation in <paramref name="context"/>. Throws
    /// <see cref="McpServerException"/> (after stopping what did start) when one cannot start or lacks its credential.
    /// </summary>
    public async Task<McpSession> StartAsync(IReadOnlyList<McpServerReference> servers, McpStartContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(context);
        var launches = Describe(servers, context);
        if (launches.Count == 0)
        {
            return McpSession.Empty;
        }

        var starts = launches.Select(l => StartOneAsync(l, context, cancellationToken)).ToList();
        try
        {
            await Task.WhenAll(starts);
        }
        catch (Exception) when (starts.Any(s => s.IsFaulted || s.IsCanceled))
        {
            foreach (var started in starts.Where(s => s.IsCompletedSuccessfully))
            {
                await started.Result.Client.DisposeAsync();
            }

            var failure = starts.FirstOrDefault(s => s.IsFaulted)?.Exception?.InnerException;
            if (failure is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(failure).Throw();
            }

            throw;
        }

        var results = starts.Select(s => s.Result).ToList();
        return new McpSession(results.Select(r => (r.Name, r.Client)).ToList(), results.SelectMany(r => r.Tools).ToList(), _logger);
    }

    /// <summary>
    /// How each of <paramref name="servers"/> the agent may use is reached (skipping, with <c>mcp_server_skipped</c>,
    /// a built-in server whose grant it lacks; the first of two servers with one name wins). Throws
    /// <see cref="McpServerException"/> when a granted built-in server's credential is not set.
    /// </summary>
    public IReadOnlyList<McpServerLaunch> Describe(IReadOnlyList<McpServerReference> servers, McpStartContext context)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(context);
        var launches = new List<McpServerLaunch>();
        foreach (var reference in servers)
        {
            if (PlanFor(reference, context) is { } plan && launches.All(l => l.Name != plan.Name))
            {
                launches.Add(Launch(plan, context));
            }
        }

        return launches;
    }

    /// <summary>
    /// <paramref name="launch"/> behind <c>botburrow mcp filter</c> when it has tools to hide and is a stdio server
    /// (for CLI tools that cannot refuse single tools by name); the Hub server hides its own.
    /// </summary>
    public McpServerLaunch BehindFilter(McpServerLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        if (launch.HiddenTools.Count == 0 || launch.Url is not null || (launch.IsBuiltIn && launch.Name == McpCatalog.Hub.Name))
        {
            return launch;
        }

        List<string> commandLine = [.. _options.BotburrowCommand, "mcp", "filter", "--hide", string.Join(',', launch.HiddenTools.Order(StringComparer.Ordinal))];
        if (launch.HiddenForLackOf is { } grant)
        {
            commandLine.AddRange(["--grant", grant]);
        }

        return launch with { CommandLine = [.. commandLine, "--", .. launch.CommandLine] };
    }

    private McpServerLaunch Launch(Plan plan, McpStartContext context)
    {
        if (plan.BuiltIn is not { } builtIn)
        {
            var reference = plan.Reference;
            return reference.Url is { } url
                ? new McpServerLaunch { Name = plan.Name, Url = url, Headers = reference.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase) }
                : new McpServerLaunch { Name = plan.Name, CommandLine = [reference.Command!, .. reference.Args], Environment = reference.Env.ToDictionary(StringComparer.Ordinal) };
        }

        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var credential in builtIn.Credentials)
        {
            if (EnvironmentValue(credential.Setting) is { Length: > 0 } value)
            {
                environment[credential.Target] = value;
            }
        }

        foreach (var (key, value) in builtIn.ExtraEnvironment?.Invoke(context) ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        var hidden = builtIn.WriteGrant is { } writeGrant && builtIn.WriteTools.Count > 0 && !context.Grants.Holds(writeGrant);
        return new McpServerLaunch
        {
            Name = builtIn.Name,
            CommandLine = builtIn.CommandLine(context, _options),
            Environment = environment,
            HiddenTools = hidden ? builtIn.WriteTools : new HashSet<string>(StringComparer.Ordinal),
            HiddenForLackOf = hidden ? builtIn.WriteGrant : null,
            IsBuiltIn = true,
        };
    }

    private Plan? PlanFor(McpServerReference reference, McpStartContext context)
    {
        if (!reference.IsBuiltIn)
        {
            return new Plan(reference.Name, null, reference);
        }

        var builtIn = _options.Catalog.FirstOrDefault(s => s.Name.Equals(reference.Name, StringComparison.Ordinal) || s.Aliases.Contains(reference.Name, StringComparer.Ordinal));
        if (builtIn is null)
        {
            McpLog.ServerSkipped(_logger, reference.Name, context.AgentName, "it is not a built-in server; give it a command or url");
            return null;
        }

        if (!context.Grants.Holds(builtIn.ReadGrant))
        {
            var why = context.Grants.Explain(Grant.Parse(builtIn.ReadGrant));
            McpLog.ServerSkipped(_logger, builtIn.Name, context.AgentName, why);
            return null;
        }

        foreach (var credential in builtIn.Credentials.Where(c => !c.Optional))
        {
            if (string.IsNullOrEmpty(EnvironmentValue(credential.Setting)))
            {
                var message = $"MCP server '{builtIn.Name}' needs {credential.Setting}, which is not set";
                McpLog.ServerStartFailed(_logger, builtIn.Name, context.AgentName, message);
                throw new McpServerException(builtIn.Name, message);
            }
        }

        return new Plan(builtIn.Name, builtIn, reference);
    }

    private async Task<Started> StartOneAsync(McpServerLaunch launch, McpStartContext context, CancellationToken cancellationToken)
    {
        var stderr = new Queue<string>();
        IClientTransport transport;
        string transportName;
        if (launch.Url is { } url)
        {
            transportName = "http " + url.GetLeftPart(UriPartial.Path);
            transport = new HttpClientTransport(
                new HttpClientTransportOptions
                {
                    Name = launch.Name,
                    Endpoint = url,
                    AdditionalHeaders = launch.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase),
                    ConnectionTimeout = _options.StartTimeout,
                },
                _loggerFactory);
        }
        else
        {
            var commandLine = launch.CommandLine;
            transportName = "stdio " + commandLine[0];
            var environment = StdioClientTransportOptions.GetDefaultEnvironmentVariables();

            // Never the runner's home: one of the activation's own, beside the server's working folder.
            var activation = ActivationFolder(context);
            environment["HOME"] = Work.ActivationWorkspace.CreatePrivateDirectory(Path.Combine(activation, Work.ActivationWorkspace.HomeFolder));
            if (_options.NpmCache is { } npmCache)
            {
                environment["npm_config_cache"] = npmCache;
            }

            foreach (var (key, value) in launch.Environment)
            {
                environment[key] = value;
            }

            var command = Confine(launch, context, activation);
            transport = new StdioClientTransport(
                new StdioClientTransportOptions
                {
                    Name = launch.Name,
                    Command = command.Program,
                    Arguments = [.. command.Arguments],
                    WorkingDirectory = context.WorkspaceDirectory,
                    InheritEnvironmentVariables = false,
                    EnvironmentVariables = environment,
                    StandardErrorLines = line =>
                    {
                        lock (stderr)
                        {
                            stderr.Enqueue(line);
                            while (stderr.Count > StderrLinesKept)
                            {
                                stderr.Dequeue();
                            }
                        }

                        McpLog.ServerStderr(_logger, launch.Name, line);
                    },
                },
                _loggerFactory);
        }

        McpClient? client = null;
        using var startLimit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var startTimeout = _options.StartTimeout > _options.Timeout ? _options.StartTimeout : _options.Timeout;
        startLimit.CancelAfter(startTimeout);
        try
        {
            client = await McpClient.CreateAsync(
                transport,
                new McpClientOptions { ClientInfo = new() { Name = "botburrow-agents", Version = "1.0.0" } },
                _loggerFactory,
                startLimit.Token);
            var listed = await client.ListToolsAsync(cancellationToken: startLimit.Token);
            var tools = Select(launch, context, listed);
            var names = string.Join(", ", tools.Select(t => t.Name));
            McpLog.ServerStarted(_logger, launch.Name, context.AgentName, transportName, tools.Count, names);
            return new Started(launch.Name, client, tools);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }

            throw;
        }
        catch (Exception ex)
        {
            if (client is not null)
            {
                await client.DisposeAsync();
            }

            var reason = ex is OperationCanceledException
                ? $"no answer within {startTimeout.TotalSeconds:0.#} s"
                : FirstLine(ex.Message);
            string[] tail;
            lock (stderr)
            {
                tail = [.. stderr];
            }

            if (tail.Length > 0)
            {
                reason += "; stderr: " + string.Join(" | ", tail);
            }

            McpLog.ServerStartFailed(_logger, launch.Name, context.AgentName, reason);
            throw new McpServerException(launch.Name, $"MCP server '{launch.Name}' failed to start: {reason}", ex);
        }
    }

    /// <summary>The server's command line, inside the sandbox when one applies (the workspace and the npm cache writable).</summary>
    private SandboxedCommand Confine(McpServerLaunch launch, McpStartContext context, string activation)
    {
        var commandLine = launch.CommandLine;
        if (_options.Sandbox is not { } sandbox)
        {
            return new SandboxedCommand(commandLine[0], [.. commandLine.Skip(1)], Confined: false);
        }

        try
        {
            return sandbox.Wrap(new SandboxRequest
            {
                Program = commandLine[0],
                Arguments = [.. commandLine.Skip(1)],
                Workspace = activation,
                WorkingDirectory = context.WorkspaceDirectory,
                SharedWritable = _options.NpmCache is { } npmCache ? [npmCache] : [],
            });
        }
        catch (SandboxUnavailableException ex)
        {
            var message = $"MCP server '{launch.Name}' cannot start: {ex.Message}";
            McpLog.ServerStartFailed(_logger, launch.Name, context.AgentName, message);
            throw new McpServerException(launch.Name, message, ex);
        }
    }

    /// <summary>The activation's workspace folder: the server's working folder, or its parent when that is a CLI tool's <c>work</c> folder.</summary>
    private static string ActivationFolder(McpStartContext context)
    {
        var directory = Path.GetFullPath(context.WorkspaceDirectory).TrimEnd('/');
        return Path.GetFileName(directory) == Work.ActivationWorkspace.WorkFolder && Path.GetDirectoryName(directory) is { } parent ? parent : directory;
    }

    private List<AITool> Select(McpServerLaunch launch, McpStartContext context, IList<McpClientTool> listed)
    {
        var visible = listed.ToList();
        var hidden = visible.Where(t => launch.HiddenTools.Contains(t.Name)).Select(t => t.Name).ToList();
        if (hidden.Count > 0)
        {
            visible.RemoveAll(t => launch.HiddenTools.Contains(t.Name));
            var hiddenNames = string.Join(", ", hidden);
            McpLog.ToolsHidden(_logger, launch.Name, context.AgentName, launch.HiddenForLackOf ?? "the write grant", hiddenNames);
        }

        return visible.Select(t => (AITool)new McpToolFunction(t, launch.Name + Separator + t.Name, _options.Timeout, _logger)).ToList();
    }

    private string? EnvironmentValue(string name)
        => _options.Environment.TryGetValue(name, out var value) ? value
            : _options.Environment.TryGetValue(Configuration.SettingNames.Prefix + name, out var prefixed) ? prefixed
            : null;

    private static string FirstLine(string text)
    {
        var line = text.ReplaceLineEndings("\n").Split('\n', 2)[0].Trim();
        return line.Length == 0 ? "unknown error" : line;
    }

    private sealed record Plan(string Name, BuiltInServer? BuiltIn, McpServerReference Reference);

    private sealed record Started(string Name, McpClient Client, IReadOnlyList<AITool> Tools);
}
