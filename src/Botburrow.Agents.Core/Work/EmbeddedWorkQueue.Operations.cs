namespace Botburrow.Agents.Work;

// What operators read and change: statistics, backoff, activations, dead letters.
public sealed partial class EmbeddedWorkQueue
{
    public Task<WorkQueueStats> GetStatsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var now = Now;
            var depths = new Dictionary<WorkPriority, long>();
            var ages = new Dictionary<WorkPriority, TimeSpan>();
            foreach (var (priority, queue) in _queues)
            {
                depths[priority] = queue.Count;
                if (queue.Last is { } oldest)
                {
                    ages[priority] = now - oldest.Value.CreatedAt;
                }
            }

            return Task.FromResult(new WorkQueueStats
            {
                Depths = depths,
                OldestAge = ages,
                Active = _active.Count,
                FollowUps = _followUps.Count,
                InBackoff = _backoffUntil.Count,
                Dead = _dead.Count,
                Runners = _runners.Values
                    .Where(r => r.SeenAt + _options.HeartbeatTtl > now)
                    .Select(r => new RunnerInfo
                    {
                        RunnerId = r.Heartbeat.RunnerId,
                        Mode = r.Heartbeat.Mode.ToString().ToLowerInvariant(),
                        Concurrency = r.Heartbeat.Concurrency,
                        InFlight = r.Heartbeat.InFlight,
                        StartedAt = r.Heartbeat.StartedAt,
                        LastSeenAt = r.SeenAt,
                        LeasesLost = r.Heartbeat.LeasesLost,
                    })
                    .OrderBy(r => r.RunnerId, StringComparer.Ordinal)
                    .ToList(),
            });
        }
    }

    public Task<IReadOnlyList<BackoffEntry>> ListBackoffAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            IReadOnlyList<BackoffEntry> list = _failures.Keys.Union(_backoffUntil.Keys)
                .Order(StringComparer.Ordinal)
                .Select(agent => new BackoffEntry
                {
                    AgentId = agent,
                    Failures = _failures.GetValueOrDefault(agent),
                    Until = _backoffUntil.TryGetValue(agent, out var until) ? DateTimeOffset.FromUnixTimeSeconds(until) : null,
                })
                .ToList();
            return Task.FromResult(list);
        }
    }

    public Task<int> ClearBackoffAsync(string? agentId = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (agentId is null)
            {
                var count = _failures.Keys.Union(_backoffUntil.Keys).Count();
                _failures.Clear();
                _backoffUntil.Clear();
                return Task.FromResult(count);
            }

            var removed = _failures.Remove(agentId) | _backoffUntil.Remove(agentId);
            return Task.FromResult(removed ? 1 : 0);
        }
    }

    public Task<IReadOnlyList<ActivationInfo>> ListActivationsAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            IReadOnlyList<ActivationInfo> list = _records.Keys.ToList()
                .Select(LiveRecord)
                .OfType<ActivationRecord>()
                .Select(r => ToInfo(r.Claim))
                .OrderBy(a => a.ClaimedAt)
                .ToList();
            return Task.FromResult(list);
        }
    }

    public Task<IReadOnlyDictionary<string, string>> ListActiveEntriesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            IReadOnlyDictionary<string, string> copy = new Dictionary<string, string>(_active, StringComparer.Ordinal);
            return Task.FromResult(copy);
        }
    }

    public Task<IReadOnlyList<RecentActivation>> ListRecentAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            IReadOnlyList<RecentActivation> copy = [.. _recent];
            return Task.FromResult(copy);
        }
    }

    public Task<ActivationInfo?> GetActivationAsync(string activationId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult(LiveRecord(activationId) is { } record ? ToInfo(record.Claim) : null);
        }
    }

    public Task<bool> StopActivationAsync(string activationId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        bool removed;
        lock (_lock)
        {
            removed = LiveRecord(activationId) is not null && _records.Remove(activationId);
        }

        if (removed)
        {
            WorkLog.ActivationStopped(_logger, activationId);
        }

        return Task.FromResult(removed);
    }

    public Task<IReadOnlyList<DeadLetter>> ListDeadAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<DeadLetter>>(_dead.ToList());
        }
    }

    public Task<bool> RequeueDeadAsync(string id, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var node = _dead.First;
            while (node is not null && node.Value.Id != id)
            {
                node = node.Next;
            }

            if (node is null)
            {
                return Task.FromResult(false);
            }

            _dead.Remove(node);
            PushWithDedup(node.Value.Item with { Attempt = 1, NewestNotificationMs = null }, ignoreBackoff: true);
        }

        _signal.Set();
        return Task.FromResult(true);
    }
}
