using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol;

namespace Botburrow.Agents.Mcp.Filter;

/// <summary>
/// <c>botburrow mcp filter --hide a,b -- COMMAND ARGS…</c>: an MCP server on stdio that starts another stdio server
/// (with this process's environment) and passes everything through except the hidden tools, which it neither
/// lists nor calls. CLI tools that cannot refuse single tools by name (goose) get the write tools of a server
/// hidden this way when the agent lacks the write grant.
/// </summary>
public static partial class McpToolFilter
{
    public const string ServerName = "botburrow-mcp-filter";

    /// <summary>Serves until standard input closes or <paramref name="cancellationToken"/> fires.</summary>
    public static async Task RunAsync(IReadOnlyList<string> commandLine, IReadOnlySet<string> hidden, string? missingGrant, Action<ILoggingBuilder> configureLogging, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentOutOfRangeException.ThrowIfZero(commandLine.Count);
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentNullException.ThrowIfNull(configureLogging);
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        configureLogging(builder.Logging);
        McpClient? upstream = null; // connected below, before the server answers its first request
        ILogger logger = Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        var why = missingGrant is null ? "it is hidden from this agent" : $"it needs {missingGrant}";
        builder.Services.AddMcpServer(o => o.ServerInfo = new() { Name = ServerName, Version = Hub.HubMcpServer.Version() })
            .WithStdioServerTransport()
            .WithListToolsHandler(async (request, token) =>
            {
                var listed = await upstream!.ListToolsAsync(request.Params ?? new ListToolsRequestParams(), token);
                return new ListToolsResult { Tools = [.. listed.Tools.Where(t => !hidden.Contains(t.Name))], NextCursor = listed.NextCursor };
            })
            .WithCallToolHandler(async (request, token) =>
            {
                var call = request.Params ?? throw new McpProtocolException("tools/call without parameters", McpErrorCode.InvalidParams);
                if (hidden.Contains(call.Name))
                {
                    LogRefused(logger, call.Name, why);
                    return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = $"Tool '{call.Name}' is not available: {why}." }] };
                }

                return await upstream!.CallToolAsync(call, token);
            });
        using var host = builder.Build();
        var loggers = host.Services.GetRequiredService<ILoggerFactory>();
        logger = loggers.CreateLogger("Botburrow.Agents.Mcp.Filter");
        await using var client = await McpClient.CreateAsync(
            new StdioClientTransport(new StdioClientTransportOptions
            {
                Name = Path.GetFileName(commandLine[0]),
                Command = commandLine[0],
                Arguments = [.. commandLine.Skip(1)],
                StandardErrorLines = line => LogUpstreamStderr(logger, line),
            }),
            new McpClientOptions { ClientInfo = new() { Name = ServerName, Version = Hub.HubMcpServer.Version() } },
            loggers,
            cancellationToken);
        upstream = client;
        var hiddenNames = string.Join(", ", hidden.Order(StringComparer.Ordinal));
        LogServing(logger, commandLine[0], hiddenNames);
        await host.RunAsync(cancellationToken);
    }

    [LoggerMessage(EventName = "mcp_filter_serving", Level = LogLevel.Information, Message = "MCP filter on stdio in front of {Command}; hidden tools: {Hidden}")]
    private static partial void LogServing(ILogger logger, string command, string hidden);

    [LoggerMessage(EventName = "mcp_filter_refused", Level = LogLevel.Warning, Message = "MCP filter refused a call of '{Tool}': {Why}")]
    private static partial void LogRefused(ILogger logger, string tool, string why);

    [LoggerMessage(EventName = "mcp_server_stderr", Level = LogLevel.Debug, Message = "upstream MCP server stderr: {Line}")]
    private static partial void LogUpstreamStderr(ILogger logger, string line);
}
