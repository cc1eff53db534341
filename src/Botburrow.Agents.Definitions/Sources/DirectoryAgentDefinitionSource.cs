using Botburrow.Agents.Definitions.Model;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Definitions.Sources;

/// <summary>Definitions in a local directory (<c>AGENT_DEFINITIONS_PATH</c>, the git-sync layout), read on every call.</summary>
public sealed class DirectoryAgentDefinitionSource(string root, ILogger<DirectoryAgentDefinitionSource> logger) : IAgentDefinitionSource
{
    public string Root { get; } = Path.GetFullPath(root);

    public string Description => $"directory {Root}";

    public bool SupportsListing => true;

    public Task<AgentDefinition> GetAsync(string agentId, CancellationToken cancellationToken = default)
        => DefinitionDirectory.LoadAgentAsync(Root, agentId, logger, cancellationToken);

    public Task<AgentCatalog> ListAsync(CancellationToken cancellationToken = default)
        => DefinitionDirectory.ScanAsync(Root, logger, cancellationToken);
}
