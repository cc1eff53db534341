using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Mcp.Catalog;
using Botburrow.Agents.Mcp.Hub;
using Botburrow.Agents.Work;
using Microsoft.Extensions.AI;

namespace Botburrow.Agents.Mcp;

/// <summary>
/// Builds what an activation may use from the agent's effective grants (declared ∩ the permissions policy): for the
/// native loop, the in-process Hub tools and its MCP servers started through the <see cref="McpServerManager"/>
/// (the built-in <c>hub</c> server is not started: the same <see cref="HubTools"/> run in-process); for a CLI
/// tool, the servers it is to start, <c>botburrow mcp hub</c> among them. Each activation gets a fresh workspace.
/// </summary>
public sealed class ActivationToolProvider
{
    private readonly IHubClient _hub;
    private readonly McpServerManager _manager;
    private readonly PermissionsPolicySource _policy;
    private readonly string _workspaceRoot;

    public ActivationToolProvider(IHubClient hub, McpServerManager manager, PermissionsPolicySource policy, string? workspaceRoot = null)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(policy);
        _hub = hub;
        _manager = manager;
        _policy = policy;
        _workspaceRoot = workspaceRoot ?? ActivationWorkspace.DefaultRoot;
    }

    /// <summary>
    /// What <paramref name="agent"/> may use in activation <paramref name="activationId"/> when the runner calls its
    /// model itself: the in-process Hub tools its grants allow and its MCP servers, started. Throws
    /// <see cref="McpServerException"/> when a server cannot start or lacks its credential and
    /// <see cref="PermissionsPolicyException"/> when the policy file is malformed.
    /// </summary>
    public async Task<ActivationTools> OpenAsync(AgentDefinition agent, string activationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrEmpty(activationId);
        var grants = _policy.Evaluate(agent.Name, agent.Capabilities.Grants);
        var workspace = new ActivationWorkspace(_workspaceRoot, agent.Name, activationId);
        var tools = new List<AITool>(HubTools.CreateFunctions(_hub, agent.Name, grants, activationId));
        var native = agent.Capabilities.McpServers
            .Where(s => !(s.IsBuiltIn && McpCatalog.Find(s.Name) == McpCatalog.Hub))
            .ToList();
        if (native.Count == 0)
        {
            return new ActivationTools(tools, McpSession.Empty, null, grants);
        }

        try
        {
            var session = await _manager.StartAsync(
                native,
                new McpStartContext { AgentName = agent.Name, ActivationId = activationId, Grants = grants, WorkspaceDirectory = workspace.Create() },
                cancellationToken);
            tools.AddRange(session.Tools);
            return new ActivationTools(tools, session, workspace, grants);
        }
        catch
        {
            workspace.Dispose();
            throw;
        }
    }

    /// <summary>
    /// What <paramref name="agent"/> may use in activation <paramref name="activationId"/> when a CLI tool runs it:
    /// a workspace (created, with the tool's working directory <c>work</c> and the runner's own <c>.botburrow</c>
    /// beside it) and the MCP servers the tool starts itself, <c>botburrow mcp hub</c> first (when the
    /// agent holds <c>hub:read</c>), then the servers it names, each with only its granted credential. Throws
    /// <see cref="McpServerException"/> when a granted server lacks its credential and
    /// <see cref="PermissionsPolicyException"/> when the policy file is malformed. With
    /// <paramref name="filterHiddenTools"/> (for tools that cannot refuse single tools by name) a server with write
    /// tools the agent may not use runs behind <c>botburrow mcp filter</c>.
    /// </summary>
    public ActivationTools OpenForCliTool(AgentDefinition agent, string activationId, bool filterHiddenTools = false)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrEmpty(activationId);
        var grants = _policy.Evaluate(agent.Name, agent.Capabilities.Grants);
        var workspace = new ActivationWorkspace(_workspaceRoot, agent.Name, activationId);
        try
        {
            var context = new McpStartContext
            {
                AgentName = agent.Name,
                ActivationId = activationId,
                Grants = grants,
                WorkspaceDirectory = workspace.CreateSubdirectory(ActivationWorkspace.WorkFolder),
                PostsLog = McpCatalog.PostsLogPath(workspace.CreateSubdirectory(ActivationWorkspace.RunnerFolder)),
            };
            List<McpServerReference> servers = [new McpServerReference { Name = McpCatalog.Hub.Name }, .. agent.Capabilities.McpServers];
            var launches = _manager.Describe(servers, context);
            return new ActivationTools([], McpSession.Empty, workspace, grants, filterHiddenTools ? [.. launches.Select(_manager.BehindFilter)] : launches);
        }
        catch
        {
            workspace.Dispose();
            throw;
        }
    }
}
