using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;

namespace Botburrow.Agents.Mcp;

/// <summary>The MCP servers of one activation and their tools; disposing it stops the servers.</summary>
public sealed class McpSession : IAsyncDisposable
{
    private readonly IReadOnlyList<(string Name, McpClient Client)> _clients;
    private readonly ILogger _logger;
    private int _disposed;

    internal McpSession(IReadOnlyList<(string Name, McpClient Client)> clients, IReadOnlyList<AITool> tools, ILogger logger)
    {
        _clients = clients;
        Tools = tools;
        _logger = logger;
    }

    public static McpSession Empty { get; } = new([], [], Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    /// <summary>The names of the servers that run.</summary>
    public IReadOnlyList<string> Servers => _clients.Select(c => c.Name).ToList();

    /// <summary>Every tool the agent may call, namespaced per server.</summary>
    public IReadOnlyList<AITool> Tools { get; }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var (name, client) in _clients)
        {
            try
            {
                await client.DisposeAsync();
                McpLog.ServerStopped(_logger, name);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or OperationCanceledException or TimeoutException)
            {
                McpLog.ServerStopFailed(_logger, name, ex.Message);
            }
        }
    }
}
