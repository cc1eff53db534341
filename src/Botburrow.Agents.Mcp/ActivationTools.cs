using Botburrow.Agents.Grants;
using Botburrow.Agents.Mcp.Hub;
using Botburrow.Agents.Work;
using Microsoft.Extensions.AI;

namespace Botburrow.Agents.Mcp;

/// <summary>
/// What one activation may use: its effective grants, its workspace, and either the in-process tools (the Hub tools
/// its grants allow and the tools of the MCP servers the runner started, for native agents) or the MCP servers a
/// CLI tool is to start itself, the runner's Hub endpoint first (for CLI agents). Disposing it revokes the Hub
/// endpoint's token, stops the servers and removes the workspace.
/// </summary>
public sealed class ActivationTools : IAsyncDisposable
{
    private readonly McpSession _session;
    private readonly ActivationWorkspace? _workspace;
    private readonly HubCapability? _hubAccess;
    private int _disposed;

    internal ActivationTools(IReadOnlyList<AITool> tools, McpSession session, ActivationWorkspace? workspace, EffectiveGrants grants, HubWriteLog hubWrites, IReadOnlyList<McpServerLaunch> servers, HubCapability? hubAccess)
    {
        Tools = tools;
        _session = session;
        _workspace = workspace;
        Grants = grants;
        HubWrites = hubWrites;
        Servers = servers;
        _hubAccess = hubAccess;
    }

    /// <summary>Tools the runner calls for the agent (native agents).</summary>
    public IReadOnlyList<AITool> Tools { get; }

    /// <summary>The MCP servers a CLI tool starts for the agent, the Hub's first (CLI agents).</summary>
    public IReadOnlyList<McpServerLaunch> Servers { get; }

    /// <summary>The agent's effective grants.</summary>
    public EffectiveGrants Grants { get; }

    /// <summary>The posts the agent made through its Hub tools in this activation (in-process or through the runner's Hub endpoint).</summary>
    public HubWriteLog HubWrites { get; }

    /// <summary>The activation's workspace directory, while it exists.</summary>
    public string? WorkspaceDirectory => _workspace?.DirectoryPath;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _hubAccess?.Dispose();
        await _session.DisposeAsync();
        _workspace?.Dispose();
    }
}
