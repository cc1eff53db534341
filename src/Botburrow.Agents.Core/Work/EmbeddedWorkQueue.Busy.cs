namespace Botburrow.Agents.Work;

/// <summary>The batch "which of these agents are busy" query of <see cref="EmbeddedWorkQueue"/>.</summary>
public sealed partial class EmbeddedWorkQueue
{
    public Task<IReadOnlySet<string>> BusyAgentsAsync(IReadOnlyCollection<string> agentIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentIds);
        var busy = new HashSet<string>(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var agent in agentIds)
            {
                if (_queued.ContainsKey(agent) || _active.ContainsKey(agent))
                {
                    busy.Add(agent);
                }
            }
        }

        return Task.FromResult<IReadOnlySet<string>>(busy);
    }
}
