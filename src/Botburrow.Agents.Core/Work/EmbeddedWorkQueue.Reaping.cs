namespace Botburrow.Agents.Work;

// Reaping: expired leases go back to the queue (or to the dead letters after too many attempts).
public sealed partial class EmbeddedWorkQueue
{
    /// <summary>In one process there is no connection to lose: holders die with the queue.</summary>
    public Task<int> ReclaimDisconnectedAsync(CancellationToken cancellationToken = default) => Task.FromResult(0);

    public Task<int> ReapAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var reaped = 0;
        var events = new List<Action>();
        lock (_lock)
        {
            var now = Now;
            foreach (var (id, expires) in _leases.Where(l => l.Value <= now).ToList())
            {
                reaped++;
                _leases.Remove(id);
                var record = LiveRecord(id);
                _records.Remove(id);
                if (record is null)
                {
                    // The record was deleted (stopped) or expired: the run is cancelled, not retried.
                    foreach (var (agent, activeId) in _active.Where(a => a.Value == id).ToList())
                    {
                        _active.Remove(agent);
                        PushFollowUp(agent);
                    }

                    continue;
                }

                var item = record.Claim.Item;
                if (_active.TryGetValue(item.AgentId, out var current) && current == id)
                {
                    _active.Remove(item.AgentId);
                }

                if (item.Attempt < _options.MaxAttempts)
                {
                    var retry = WithFollowUp(item with { Attempt = item.Attempt + 1, LastError = "lease expired" });
                    PushFront(retry);
                    events.Add(() => WorkLog.LeaseExpired(_logger, id, item.AgentId, retry.Attempt));
                }
                else
                {
                    var deadItem = item with { LastError = "lease expired" };
                    _dead.AddFirst(new DeadLetter { Id = id, DeadAt = now, Item = deadItem });
                    var tripped = RecordFailure(item.AgentId);
                    PushFollowUp(item.AgentId);
                    events.Add(() => WorkLog.DeadLettered(_logger, id, item.AgentId, item.Attempt, "lease expired"));
                    if (tripped is { } t)
                    {
                        events.Add(() => WorkLog.CircuitBreaker(_logger, item.AgentId, t.Failures, t.Backoff.TotalSeconds));
                    }
                }
            }

            foreach (var (agent, id) in _active.ToList())
            {
                if (!_leases.ContainsKey(id))
                {
                    _active.Remove(agent);
                    _records.Remove(id);
                    reaped++;
                }
            }

            foreach (var (agent, until) in _backoffUntil.ToList())
            {
                if (until * 1000 <= now.ToUnixTimeMilliseconds())
                {
                    _backoffUntil.Remove(agent);
                }
            }

            foreach (var (runner, state) in _runners.ToList())
            {
                if (state.SeenAt + _options.HeartbeatTtl <= now)
                {
                    _runners.Remove(runner);
                }
            }
        }

        foreach (var log in events)
        {
            log();
        }

        if (reaped > 0)
        {
            _signal.Set();
        }

        return Task.FromResult(reaped);
    }
}
