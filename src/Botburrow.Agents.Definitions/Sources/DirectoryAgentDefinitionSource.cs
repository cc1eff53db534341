using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Definitions.Sources;

/// <summary>
/// Definitions in a local directory (<c>AGENT_DEFINITIONS_PATH</c>, the git-sync layout), read on every call.
/// <paramref name="permissions"/> is the policy whose <c>provider_keys</c> an agent's <c>brain.api_key_env</c> may
/// name; without one only the provider's own key is allowed.
/// </summary>
public sealed class DirectoryAgentDefinitionSource(string root, ILogger<DirectoryAgentDefinitionSource> logger, PermissionsPolicySource? permissions = null) : IAgentDefinitionSource
{
    public string Root { get; } = Path.GetFullPath(root);

    public string Description => $"directory {Root}";

    public bool SupportsListing => true;

    public Task<AgentDefinition> GetAsync(string agentId, CancellationToken cancellationToken = default)
        => DefinitionDirectory.LoadAgentAsync(Root, agentId, permissions, logger, cancellationToken);

    public Task<AgentCatalog> ListAsync(CancellationToken cancellationToken = default)
        => DefinitionDirectory.ScanAsync(Root, permissions, logger, cancellationToken);
}
