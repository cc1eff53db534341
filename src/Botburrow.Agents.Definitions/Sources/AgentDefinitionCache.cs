using System.Collections.Concurrent;
using Botburrow.Agents.Definitions.Model;

namespace Botburrow.Agents.Definitions.Sources;

/// <summary>
/// Definitions as the services use them: each agent's definition is kept for its own <c>cache_ttl</c>, the full
/// list for <see cref="ListTtl"/>; <see cref="Invalidate"/> (the authenticated webhook and
/// <c>botburrow cache invalidate</c>) drops one agent or everything.
/// </summary>
public sealed class AgentDefinitionCache
{
    private readonly IAgentDefinitionSource _source;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, (AgentDefinition Definition, DateTimeOffset Expires)> _agents = new(StringComparer.Ordinal);
    private (AgentCatalog Catalog, DateTimeOffset Expires)? _catalog;

    public AgentDefinitionCache(IAgentDefinitionSource source, TimeProvider timeProvider)
    {
        _source = source;
        _timeProvider = timeProvider;
    }

    /// <summary>How long a listing of every agent is reused.</summary>
    public TimeSpan ListTtl { get; init; } = TimeSpan.FromSeconds(60);

    public IAgentDefinitionSource Source => _source;

    /// <summary>The agent's definition; throws <see cref="AgentConfigNotFoundException"/> when it has none.</summary>
    public async Task<AgentDefinition> GetAsync(string agentId, CancellationToken cancellationToken = default)
    {
        var now = _timeProvider.GetUtcNow();
        if (_agents.TryGetValue(agentId, out var cached) && cached.Expires > now)
        {
            return cached.Definition;
        }

        var definition = await _source.GetAsync(agentId, cancellationToken);
        _agents[agentId] = (definition, now + definition.CacheTtl);
        return definition;
    }

    /// <summary>Every valid definition (an empty list where the source cannot list, e.g. GitHub raw files).</summary>
    public async Task<IReadOnlyList<AgentDefinition>> ListAsync(CancellationToken cancellationToken = default)
    {
        var now = _timeProvider.GetUtcNow();
        if (_catalog is { } catalog && catalog.Expires > now)
        {
            return catalog.Catalog.Agents;
        }

        if (!_source.SupportsListing)
        {
            return [];
        }

        var fresh = await _source.ListAsync(cancellationToken);
        _catalog = (fresh, now + ListTtl);
        foreach (var agent in fresh.Agents)
        {
            _agents[agent.Name] = (agent, now + agent.CacheTtl);
        }

        return fresh.Agents;
    }

    /// <summary>Forgets one agent's cached definition, or every cached definition when <paramref name="agentId"/> is null.</summary>
    public void Invalidate(string? agentId = null)
    {
        if (agentId is null)
        {
            _agents.Clear();
        }
        else
        {
            _agents.TryRemove(agentId, out _);
        }

        _catalog = null;
    }
}
