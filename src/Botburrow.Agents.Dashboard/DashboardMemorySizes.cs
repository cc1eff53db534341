using Botburrow.Agents.Definitions.Sources;
using Botburrow.Agents.Memory;

namespace Botburrow.Agents.Dashboard;

/// <summary>
/// Memory size per agent for the dashboard: every agent of the definitions whose <c>memory.enabled</c> is true, with
/// the size of its memories in the work store.
/// </summary>
public sealed class DashboardMemorySizes
{
    private readonly IAgentMemoryStore _store;
    private readonly AgentDefinitionCache _definitions;

    public DashboardMemorySizes(IAgentMemoryStore store, AgentDefinitionCache definitions)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(definitions);
        _store = store;
        _definitions = definitions;
    }

    /// <summary>False when the definitions source cannot list agents (GitHub raw): then there is nothing to show.</summary>
    public bool CanList => _definitions.Source.SupportsListing;

    /// <exception cref="AgentDefinitionSourceException">The definitions source failed.</exception>
    public async Task<IReadOnlyList<DashboardMemory>> ReadAsync(CancellationToken cancellationToken)
    {
        if (!CanList)
        {
            return [];
        }

        var rows = new List<DashboardMemory>();
        foreach (var agent in (await _definitions.ListAsync(cancellationToken)).Where(a => a.Memory.Enabled).OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            rows.Add(new DashboardMemory
            {
                Agent = agent.Name,
                Bytes = await _store.SizeAsync(agent.Name, cancellationToken),
                MaxBytes = agent.Memory.MaxSizeMb * 1024L * 1024L,
            });
        }

        return rows;
    }
}
