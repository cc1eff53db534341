using Botburrow.Agents.Grants;
using Botburrow.Agents.Work;
using Microsoft.Extensions.AI;

namespace Botburrow.Agents.Mcp;

/// <summary>
/// What one activation may use: its effective grants, its workspace, and either the in-process tools (the Hub tools
/// its grants allow and the tools of the MCP servers the runner started, for native agents) or the MCP servers a
/// CLI tool is to start itself (for CLI agents). Disposing it stops the servers and removes the workspace.
/// </summary>
public sealed class ActivationTools : IAsyncDisposable
{
    private readonly McpSession _session;
    private readonly ActivationWorkspace? _workspace;
    private int _disposed;

    internal ActivationTools(IReadOnlyList<AITool> tools, McpSession session, ActivationWorkspace? workspace, EffectiveGrants? grants = null, IReadOnlyList<McpServerLaunch>? servers = null)
    {
        Tools = tools;
        _session = session;
        _workspace = workspace;
        Grants = grants;
        Servers = servers ?? [];
    }

    public static ActivationTools None { get; } = new([], McpSession.Empty, null);

    /// <summary>Just a workspace (created), for a CLI tool run without grants or MCP servers.</summary>
    public static ActivationTools WorkspaceOnly(ActivationWorkspace workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        workspace.Create();
        return new ActivationTools([], McpSession.Empty, workspace);
    }

    /// <summary>Tools the runner calls for the agent (native agents).</summary>
    public IReadOnlyList<AITool> Tools { get; }

    /// <summary>The MCP servers a CLI tool starts for the agent, the Hub's first (CLI agents).</summary>
    public IReadOnlyList<McpServerLaunch> Servers { get; }

    /// <summary>The agent's effective grants, when they were evaluated.</summary>
    public EffectiveGrants? Grants { get; }

    /// <summary>The activation's workspace directory, while it exists.</summary>
    public string? WorkspaceDirectory => _workspace?.DirectoryPath;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _session.DisposeAsync();
        _workspace?.Dispose();
    }
}
