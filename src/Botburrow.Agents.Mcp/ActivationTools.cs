using Microsoft.Extensions.AI;

namespace Botburrow.Agents.Mcp;

/// <summary>
/// The tools of one activation: the in-process Hub tools its grants allow and the tools of its MCP servers.
/// Disposing it stops the servers and deletes the activation's workspace.
/// </summary>
public sealed class ActivationTools : IAsyncDisposable
{
    private readonly McpSession _session;
    private readonly string? _workspace;
    private int _disposed;

    internal ActivationTools(IReadOnlyList<AITool> tools, McpSession session, string? workspace)
    {
        Tools = tools;
        _session = session;
        _workspace = workspace;
    }

    public static ActivationTools None { get; } = new([], McpSession.Empty, null);

    public IReadOnlyList<AITool> Tools { get; }

    /// <summary>The activation's workspace directory, while it exists.</summary>
    public string? WorkspaceDirectory => _workspace;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _session.DisposeAsync();
        if (_workspace is not null)
        {
            try
            {
                Directory.Delete(_workspace, recursive: true);
            }
            catch (IOException)
            {
                // A server that has not let go of a file yet; the temp folder is cleaned up by the OS.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
