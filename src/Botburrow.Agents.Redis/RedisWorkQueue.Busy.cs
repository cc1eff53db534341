using StackExchange.Redis;

namespace Botburrow.Agents.Redis;

/// <summary>The batch "which of these agents are busy" query of <see cref="RedisWorkQueue"/>.</summary>
public sealed partial class RedisWorkQueue
{
    /// <summary>One <c>HMGET work:queued</c> and one <c>HMGET work:active</c>, pipelined: a single round trip.</summary>
    public async Task<IReadOnlySet<string>> BusyAgentsAsync(IReadOnlyCollection<string> agentIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentIds);
        var busy = new HashSet<string>(StringComparer.Ordinal);
        if (agentIds.Count == 0)
        {
            return busy;
        }

        var agents = agentIds.ToArray();
        var fields = Array.ConvertAll(agents, a => (RedisValue)a);
        var (queued, active) = await _connection.ExecuteAsync(
            "busy_agents",
            async db =>
            {
                var queuedTask = db.HashGetAsync(_keys.Queued, fields);
                var activeTask = db.HashGetAsync(_keys.Active, fields);
                return (await queuedTask, await activeTask);
            },
            cancellationToken);
        for (var i = 0; i < agents.Length; i++)
        {
            if (!queued[i].IsNull || !active[i].IsNull)
            {
                busy.Add(agents[i]);
            }
        }

        return busy;
    }
}
