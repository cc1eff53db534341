using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Grants;
using Botburrow.Agents.Mcp.Catalog;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;

namespace Botburrow.Agents.Mcp;

/// <summary>
/// Starts the MCP servers of one activation. A built-in server starts only when the agent holds its grant and
/// gets only its own credential; stdio servers never inherit the runner's environment (the SDK's safe defaults
/// such as PATH and HOME, plus what the server is given). Tools are namespaced per server
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
        var plans = new List<Plan>();
        foreach (var reference in servers)
        {
            if (PlanFor(reference, context) is { } plan && plans.All(p => p.Name != plan.Name))
            {
                plans.Add(plan);
            }
        }

        if (plans.Count == 0)
        {
            return McpSession.Empty;
        }

        var starts = plans.Select(p => StartOneAsync(p, context, cancellationToken)).ToList();
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

    private async Task<Started> StartOneAsync(Plan plan, McpStartContext context, CancellationToken cancellationToken)
    {
        var stderr = new Queue<string>();
        IClientTransport transport;
        string transportName;
        if (plan.Reference.Url is { } url && plan.BuiltIn is null)
        {
            transportName = "http " + url.GetLeftPart(UriPartial.Path);
            transport = new HttpClientTransport(
                new HttpClientTransportOptions
                {
                    Name = plan.Name,
                    Endpoint = url,
                    AdditionalHeaders = plan.Reference.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase),
                    ConnectionTimeout = _options.StartTimeout,
                },
                _loggerFactory);
        }
        else
        {
            IReadOnlyList<string> commandLine = plan.BuiltIn is { } builtIn
                ? builtIn.CommandLine(context, _options)
                : [plan.Reference.Command!, .. plan.Reference.Args];
            transportName = "stdio " + commandLine[0];
            var environment = StdioClientTransportOptions.GetDefaultEnvironmentVariables();
            if (plan.BuiltIn is { } server)
            {
                foreach (var credential in server.Credentials)
                {
                    if (EnvironmentValue(credential.Setting) is { Length: > 0 } value)
                    {
                        environment[credential.Target] = value;
                    }
                }

                foreach (var (key, value) in server.ExtraEnvironment?.Invoke(context) ?? new Dictionary<string, string>())
                {
                    environment[key] = value;
                }
            }
            else
            {
                foreach (var (key, value) in plan.Reference.Env)
                {
                    environment[key] = value;
                }
            }

            transport = new StdioClientTransport(
                new StdioClientTransportOptions
                {
                    Name = plan.Name,
                    Command = commandLine[0],
                    Arguments = commandLine.Skip(1).ToList(),
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

                        McpLog.ServerStderr(_logger, plan.Name, line);
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
            var tools = Select(plan, context, listed);
            var names = string.Join(", ", tools.Select(t => t.Name));
            McpLog.ServerStarted(_logger, plan.Name, context.AgentName, transportName, tools.Count, names);
            return new Started(plan.Name, client, tools);
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

            McpLog.ServerStartFailed(_logger, plan.Name, context.AgentName, reason);
            throw new McpServerException(plan.Name, $"MCP server '{plan.Name}' failed to start: {reason}", ex);
        }
    }

    private List<AITool> Select(Plan plan, McpStartContext context, IList<McpClientTool> listed)
    {
        var visible = listed.ToList();
        if (plan.BuiltIn is { WriteGrant: { } writeGrant, WriteTools.Count: > 0 } builtIn && !context.Grants.Holds(writeGrant))
        {
            var hidden = visible.Where(t => builtIn.WriteTools.Contains(t.Name)).Select(t => t.Name).ToList();
            visible.RemoveAll(t => builtIn.WriteTools.Contains(t.Name));
            if (hidden.Count > 0)
            {
                var hiddenNames = string.Join(", ", hidden);
                McpLog.ToolsHidden(_logger, plan.Name, context.AgentName, writeGrant, hiddenNames);
            }
        }

        return visible.Select(t => (AITool)new McpToolFunction(t, plan.Name + Separator + t.Name, _options.Timeout, _logger)).ToList();
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
