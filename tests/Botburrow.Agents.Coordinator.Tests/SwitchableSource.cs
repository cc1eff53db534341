using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Sources;

namespace Botburrow.Agents.Coordinator.Tests;

/// <summary>Agent definitions from a folder, which a test can make fail as GitHub does when it is unreachable.</summary>
internal sealed class SwitchableSource(IAgentDefinitionSource inner) : IAgentDefinitionSource
{
    public const string FailingUrl = "https://deploy:s3cret-token@raw.githubusercontent.com/acme/agents/main/agents";

    public volatile bool Failing;

    public string Description => "GitHub raw files at " + FailingUrl;

    public bool SupportsListing => true;

    public Task<AgentDefinition> GetAsync(string agentId, CancellationToken cancellationToken = default)
        => Failing ? throw Failure(agentId) : inner.GetAsync(agentId, cancellationToken);

    public Task<AgentCatalog> ListAsync(CancellationToken cancellationToken = default)
        => Failing ? throw Failure("") : inner.ListAsync(cancellationToken);

    private static AgentDefinitionSourceException Failure(string agent)
        => new($"GET {FailingUrl}/{agent}/config.yaml failed: Connection refused (raw.githubusercontent.com:443)", new HttpRequestException("Connection refused"));
}
