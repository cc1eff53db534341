using Botburrow.Agents.Work;
using StackExchange.Redis;

namespace Botburrow.Agents.Redis;

// What operators read and change: statistics, backoff, activations, dead letters.
public sealed partial class RedisWorkQueue
{
    public async Task<WorkQueueStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        var r = (RedisResult[])(await RunAsync("stats", WorkScripts.Stats, [], cancellationToken))!;
        var now = FromMs((string)r[10]!);
        var depths = new Dictionary<WorkPriority, long>();
        var ages = new Dictionary<WorkPriority, TimeSpan>();
        WorkPriority[] priorities = [WorkPriority.High, WorkPriority.Normal, WorkPriority.Low];
        for (var i = 0; i < 3; i++)
        {
            depths[priorities[i]] = (long)r[i * 2];
            var oldest = (string?)r[(i * 2) + 1];
            if (!string.IsNullOrEmpty(oldest))
            {
                ages[priorities[i]] = now - WorkItemJson.Deserialize(oldest).CreatedAt;
            }
        }

        var runners = new List<RunnerInfo>();
        for (var i = 11; i + 6 < r.Length; i += 7)
        {
            runners.Add(new RunnerInfo
            {
                RunnerId = (string)r[i]!,
                Mode = (string)r[i + 1]!,
                Concurrency = ParseInt((string?)r[i + 2]),
                InFlight = ParseInt((string?)r[i + 3]),
                StartedAt = FromMs((string?)r[i + 4]),
                LastSeenAt = FromMs((string?)r[i + 5]),
                LeasesLost = ParseInt((string?)r[i + 6]),
            });
        }

        return new WorkQueueStats
        {
            Depths = depths,
            OldestAge = ages,
            Active = (long)r[6],
            FollowUps = (long)r[7],
            InBackoff = (long)r[8],
            Dead = (long)r[9],
            Runners = runners.OrderBy(x => x.RunnerId, StringComparer.Ordinal).ToList(),
        };
    }

    public async Task<IReadOnlyList<BackoffEntry>> ListBackoffAsync(CancellationToken cancellationToken = default)
    {
        var (failures, backoff) = await _connection.ExecuteAsync(
            "backoff list",
            async db =>
            {
                var f = db.HashGetAllAsync(_keys.Failures);
                var b = db.HashGetAllAsync(_keys.Backoff);
                return (await f, await b);
            },
            cancellationToken);
        var counts = failures.ToDictionary(e => (string)e.Name!, e => (long)e.Value, StringComparer.Ordinal);
        var until = backoff.ToDictionary(e => (string)e.Name!, e => (double)e.Value, StringComparer.Ordinal);
        return counts.Keys.Union(until.Keys)
            .Order(StringComparer.Ordinal)
            .Select(agent => new BackoffEntry
            {
                AgentId = agent,
                Failures = counts.GetValueOrDefault(agent),
                Until = until.TryGetValue(agent, out var seconds) ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000)) : null,
            })
            .ToList();
    }

    public Task<int> ClearBackoffAsync(string? agentId = null, CancellationToken cancellationToken = default)
        => _connection.ExecuteAsync(
            "backoff clear",
            async db =>
            {
                if (agentId is null)
                {
                    var f = await db.HashKeysAsync(_keys.Failures);
                    var b = await db.HashKeysAsync(_keys.Backoff);
                    await db.KeyDeleteAsync([_keys.Failures, _keys.Backoff]);
                    return f.Select(x => (string)x!).Union(b.Select(x => (string)x!)).Count();
                }

                var tx = db.CreateTransaction();
                var removedFailures = tx.HashDeleteAsync(_keys.Failures, agentId);
                var removedBackoff = tx.HashDeleteAsync(_keys.Backoff, agentId);
                await tx.ExecuteAsync();
                return await removedFailures || await removedBackoff ? 1 : 0;
            },
            cancellationToken);

    public async Task<IReadOnlyList<ActivationInfo>> ListActivationsAsync(CancellationToken cancellationToken = default)
    {
        var r = (RedisResult[])(await RunAsync("activations list", WorkScripts.Activations, [], cancellationToken))!;
        var list = new List<ActivationInfo>();
        for (var i = 0; i + 8 < r.Length; i += 9)
        {
            list.Add(ToInfo((string)r[i]!, [.. r.Skip(i + 1).Take(8).Select(x => (string?)x)]));
        }

        return list.OrderBy(a => a.ClaimedAt).ToList();
    }

    public async Task<ActivationInfo?> GetActivationAsync(string activationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(activationId);
        var values = await _connection.ExecuteAsync(
            "activation get",
            db => db.HashGetAsync(_keys.Activation(activationId), ["agent", "runner", "task", "priority", "attempt", "epoch", "claimed_at", "lease_expires_at"]),
            cancellationToken);
        return values[0].IsNull ? null : ToInfo(activationId, [.. values.Select(v => (string?)v)]);
    }

    public async Task<bool> StopActivationAsync(string activationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(activationId);
        var removed = await _connection.ExecuteAsync("activation stop", db => db.KeyDeleteAsync(_keys.Activation(activationId)), cancellationToken);
        if (removed)
        {
            WorkLog.ActivationStopped(_logger, activationId);
        }

        return removed;
    }

    public async Task<IReadOnlyList<DeadLetter>> ListDeadAsync(CancellationToken cancellationToken = default)
    {
        var entries = await _connection.ExecuteAsync("dead list", db => db.ListRangeAsync(_keys.Dead), cancellationToken);
        return entries.Select(e => WorkItemJson.DeserializeDead((string)e!)).ToList();
    }

    public async Task<IReadOnlyDictionary<string, string>> ListActiveEntriesAsync(CancellationToken cancellationToken = default)
    {
        var entries = await _connection.ExecuteAsync("active list", db => db.HashGetAllAsync(_keys.Active), cancellationToken);
        return entries.ToDictionary(e => (string)e.Name!, e => (string)e.Value!, StringComparer.Ordinal);
    }

    public async Task<IReadOnlyList<RecentActivation>> ListRecentAsync(CancellationToken cancellationToken = default)
    {
        var entries = await _connection.ExecuteAsync("recent list", db => db.ListRangeAsync(_keys.Recent, 0, RecentActivation.Capacity - 1), cancellationToken);
        return entries.Select(e => WorkItemJson.DeserializeRecent((string)e!)).ToList();
    }

    public async Task<bool> RequeueDeadAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        return (long)await RunAsync("dead requeue", WorkScripts.RequeueDead, [id], cancellationToken) == 1;
    }
}
