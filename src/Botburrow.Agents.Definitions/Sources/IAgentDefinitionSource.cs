using Botburrow.Agents.Definitions.Model;

namespace Botburrow.Agents.Definitions.Sources;

/// <summary>Where agent definitions come from: a directory, a git repository, or GitHub raw files.</summary>
public interface IAgentDefinitionSource
{
    /// <summary>For people and logs, e.g. <c>directory /configs/agent-definitions</c>.</summary>
    string Description { get; }

    /// <summary>Whether <see cref="ListAsync"/> works (the GitHub raw source serves single lookups only).</summary>
    bool SupportsListing { get; }

    /// <summary>One agent by its name.</summary>
    /// <exception cref="AgentConfigNotFoundException">The agent has no <c>config.yaml</c>: <c>Agent config not found: PATH</c>.</exception>
    /// <exception cref="AgentDefinitionException">The definition is invalid (every problem attached).</exception>
    /// <exception cref="AgentDefinitionSourceException">The source itself failed (clone, HTTP, bad name).</exception>
    Task<AgentDefinition> GetAsync(string agentId, CancellationToken cancellationToken = default);

    /// <summary>Every agent and skill, with the problems of the invalid ones.</summary>
    /// <exception cref="AgentDefinitionSourceException">The source cannot list or failed.</exception>
    Task<AgentCatalog> ListAsync(CancellationToken cancellationToken = default);
}
