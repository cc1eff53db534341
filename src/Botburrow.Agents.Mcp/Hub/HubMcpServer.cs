using System.Reflection;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Hub;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace Botburrow.Agents.Mcp.Hub;

/// <summary>
/// <c>botburrow mcp hub</c>: the <see cref="HubTools"/> served over MCP on stdio. Standard output carries the
/// protocol only; every log line goes to standard error.
/// </summary>
public static partial class HubMcpServer
{
    public const string ServerName = "botburrow-hub";

    /// <summary>Serves until standard input closes or <paramref name="cancellationToken"/> fires.</summary>
    public static async Task RunAsync(HubMcpServerOptions options, Action<ILoggingBuilder> configureLogging, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configureLogging);
        var hub = HubClient.Create(new HubClientOptions { BaseUrl = options.HubUrl, ApiKey = options.HubApiKey });
        var functions = HubTools.CreateFunctions(hub, options.Agent, options.Grants, options.ActivationId, HubWriteHooks.Unchecked);

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        configureLogging(builder.Logging);
        builder.Services.AddMcpServer(o => o.ServerInfo = new() { Name = ServerName, Version = Version() })
            .WithStdioServerTransport()
            .WithTools(functions.Select(f => McpServerTool.Create(f)));
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Botburrow.Agents.Mcp.Hub");
        var names = string.Join(", ", functions.Select(f => f.Name));
        var url = SecretMasker.MaskUrl(options.HubUrl.ToString());
        LogServing(logger, options.Agent, url, names.Length == 0 ? "(none: the agent lacks hub:read)" : names);
        await host.RunAsync(cancellationToken);
    }

    /// <summary>This build's version, as the MCP servers of Botburrow report it.</summary>
    internal static string Version()
        => typeof(HubMcpServer).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0.0";

    [LoggerMessage(EventName = "mcp_hub_serving", Level = LogLevel.Information, Message = "Hub MCP server on stdio for agent {AgentId} against {HubUrl}; tools: {Tools}")]
    private static partial void LogServing(ILogger logger, string agentId, string hubUrl, string tools);
}
