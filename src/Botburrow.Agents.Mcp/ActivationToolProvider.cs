using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Mcp.Catalog;
using Botburrow.Agents.Mcp.Hub;
using Microsoft.Extensions.AI;

namespace Botburrow.Agents.Mcp;

/// <summary>
/// Builds the tools of a native agent's activation: its effective grants (declared ∩ the permissions policy),
/// the in-process Hub tools those grants allow, and its MCP servers started through the
/// <see cref="McpServerManager"/> in a fresh workspace directory. The built-in <c>hub</c> server is not started
/// for native agents: they hold the same <see cref="HubTools"/> in-process.
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
        _workspaceRoot = workspaceRoot ?? Path.Combine(Path.GetTempPath(), "botburrow-workspaces");
    }

    /// <summary>
    /// The tools of <paramref name="agent"/> for activation <paramref name="activationId"/> (none for CLI agents,
    /// which reach the Hub through <c>botburrow mcp hub</c>). Throws <see cref="McpServerException"/> when a server
    /// cannot start and <see cref="PermissionsPolicyException"/> when the policy file is malformed.
    /// </summary>
    public async Task<ActivationTools> OpenAsync(AgentDefinition agent, string activationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrEmpty(activationId);
        if (agent.Type != AgentType.Native)
        {
            return ActivationTools.None;
        }

        var grants = _policy.Evaluate(agent.Name, agent.Capabilities.Grants);
        var tools = new List<AITool>(HubTools.CreateFunctions(_hub, agent.Name, grants, activationId));
        var servers = agent.Capabilities.McpServers
            .Where(s => !(s.IsBuiltIn && McpCatalog.Find(s.Name) == McpCatalog.Hub))
            .ToList();
        if (servers.Count == 0)
        {
            return new ActivationTools(tools, McpSession.Empty, null);
        }

        var workspace = Path.Combine(_workspaceRoot, $"{agent.Name}-{Sanitize(activationId)}");
        Directory.CreateDirectory(workspace);
        try
        {
            var session = await _manager.StartAsync(
                servers,
                new McpStartContext { AgentName = agent.Name, ActivationId = activationId, Grants = grants, WorkspaceDirectory = workspace },
                cancellationToken);
            tools.AddRange(session.Tools);
            return new ActivationTools(tools, session, workspace);
        }
        catch
        {
            TryDelete(workspace);
            throw;
        }
    }

    private static string Sanitize(string id) => new(id.Select(c => char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_').ToArray());

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
