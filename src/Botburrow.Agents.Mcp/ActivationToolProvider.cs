using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Grants;
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
/// tool, the servers it is to start, led by the runner's Hub endpoint (<see cref="HubGateway"/>) with a token of
/// the activation's own. Each activation gets a fresh workspace.
/// </summary>
public sealed class ActivationToolProvider
{
    private readonly IHubClient _hub;
    private readonly McpServerManager _manager;
    private readonly PermissionsPolicySource _policy;
    private readonly HubGateway _gateway;
    private readonly string _workspaceRoot;

    public ActivationToolProvider(IHubClient hub, McpServerManager manager, PermissionsPolicySource policy, HubGateway gateway, string? workspaceRoot)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(gateway);
        _hub = hub;
        _manager = manager;
        _policy = policy;
        _gateway = gateway;
        _workspaceRoot = workspaceRoot ?? ActivationWorkspace.DefaultRoot;
    }

    /// <summary>
    /// <paramref name="agent"/>'s effective grants under the permissions policy. Throws
    /// <see cref="PermissionsPolicyException"/> when the policy file is malformed.
    /// </summary>
    public EffectiveGrants GrantsFor(AgentDefinition agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return _policy.Evaluate(agent.Name, agent.Capabilities.Grants);
    }

    /// <summary>
    /// What <paramref name="agent"/> may use in activation <paramref name="activationId"/> when the runner calls its
    /// model itself: the in-process Hub tools its grants allow (each post first asked of
    /// <paramref name="beforeWrite"/>) and its MCP servers, started (each tool call first asked of
    /// <paramref name="beforeWrite"/> as well; a refused call answers the model with an error and is not made). Throws <see cref="McpServerException"/> when a
    /// server cannot start or lacks its credential and <see cref="PermissionsPolicyException"/> when the policy file
    /// is malformed.
    /// </summary>
    public async Task<ActivationTools> OpenAsync(AgentDefinition agent, string activationId, HubWriteCheck beforeWrite, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrEmpty(activationId);
        ArgumentNullException.ThrowIfNull(beforeWrite);
        var grants = GrantsFor(agent);
        var workspace = new ActivationWorkspace(_workspaceRoot, agent.Name, activationId);
        var writes = new HubWriteLog();
        var hooks = new HubWriteHooks { BeforeWrite = beforeWrite, AfterWrite = writes.Record };
        var tools = new List<AITool>(HubTools.CreateFunctions(_hub, agent.Name, grants, activationId, hooks, agent.Capabilities.Spawning));
        var native = WithoutHub(agent);
        if (native.Count == 0)
        {
            return new ActivationTools(tools, McpSession.Empty, null, grants, writes, [], null);
        }

        try
        {
            var session = await _manager.StartAsync(
                native,
                new McpStartContext { AgentName = agent.Name, ActivationId = activationId, Grants = grants, WorkspaceDirectory = workspace.Create() },
                cancellationToken);
            // Every MCP tool call is an effect of the activation: each first asks beforeWrite (the lease).
            tools.AddRange(session.Tools.Select(t => t is McpToolFunction mcp ? mcp.FencedBy(beforeWrite) : t));
            return new ActivationTools(tools, session, workspace, grants, writes, [], null);
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
    /// beside it) and the MCP servers the tool starts itself: first, when the agent holds <c>hub:read</c>, the
    /// runner's Hub endpoint with a token valid for this activation only (each post first asked of
    /// <paramref name="beforeWrite"/>; revoked when the result is disposed), then the servers it names, each with
    /// only its granted credential. No Hub key is in any of them. Throws <see cref="McpServerException"/> when a
    /// granted server lacks its credential and <see cref="PermissionsPolicyException"/> when the policy file is
    /// malformed. With <paramref name="filterHiddenTools"/> (for tools that cannot refuse single tools by name) a
    /// stdio server with write tools the agent may not use runs behind <c>botburrow mcp filter</c>.
    /// </summary>
    public async Task<ActivationTools> OpenForCliToolAsync(AgentDefinition agent, string activationId, bool filterHiddenTools, HubWriteCheck beforeWrite, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrEmpty(activationId);
        ArgumentNullException.ThrowIfNull(beforeWrite);
        var grants = GrantsFor(agent);
        var workspace = new ActivationWorkspace(_workspaceRoot, agent.Name, activationId);
        HubCapability? hubAccess = null;
        try
        {
            var context = new McpStartContext
            {
                AgentName = agent.Name,
                ActivationId = activationId,
                Grants = grants,
                WorkspaceDirectory = workspace.CreateSubdirectory(ActivationWorkspace.WorkFolder),
            };
            var launches = _manager.Describe(WithoutHub(agent), context);
            if (filterHiddenTools)
            {
                launches = [.. launches.Select(_manager.BehindFilter)];
            }

            if (grants.Holds(McpCatalog.Hub.ReadGrant))
            {
                hubAccess = await _gateway.IssueAsync(agent.Name, activationId, grants, agent.Capabilities.Spawning, beforeWrite, cancellationToken);
                launches = [HubLaunch(hubAccess), .. launches];
            }

            return new ActivationTools([], McpSession.Empty, workspace, grants, hubAccess?.Writes ?? new HubWriteLog(), launches, hubAccess);
        }
        catch
        {
            hubAccess?.Dispose();
            workspace.Dispose();
            throw;
        }
    }

    /// <summary>The runner's Hub endpoint as an HTTP MCP server of the CLI tool's configuration.</summary>
    private static McpServerLaunch HubLaunch(HubCapability access)
    {
        var hub = McpCatalog.Hub;
        var hidden = !access.Grants.Holds(hub.WriteGrant!); // the catalog's Hub entry names its write grant
        return new McpServerLaunch
        {
            Name = hub.Name,
            Url = access.Endpoint,
            Headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Authorization"] = access.AuthorizationHeader },

            // The endpoint does not offer hub_post without hub:write; tools that refuse by name refuse it as well.
            HiddenTools = hidden ? hub.WriteTools : new HashSet<string>(StringComparer.Ordinal),
            HiddenForLackOf = hidden ? hub.WriteGrant : null,
            IsBuiltIn = true,
        };
    }

    /// <summary>The agent's MCP servers except the built-in <c>hub</c>, which the runner serves itself.</summary>
    private static List<McpServerReference> WithoutHub(AgentDefinition agent)
        => [.. agent.Capabilities.McpServers.Where(s => !(s.IsBuiltIn && McpCatalog.Find(s.Name) == McpCatalog.Hub))];
}
