namespace Botburrow.Agents.Work;

// Lease checks, completion and hand-back: each takes effect only for the holder of the claim.
public sealed partial class EmbeddedWorkQueue
{
    public Task<LeaseState> CheckLeaseAsync(ClaimedWork work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (LiveRecord(work.ActivationId) is not { } record)
            {
                return Task.FromResult(_leases.ContainsKey(work.ActivationId) ? LeaseState.StoppedByOperator : LeaseState.Gone);
            }

            if (!Holds(record, work))
            {
                return Task.FromResult(LeaseState.TakenOver);
            }

            return Task.FromResult(record.Claim.LeaseExpiresAt > Now ? LeaseState.Held : LeaseState.Expired);
        }
    }

    public Task CompleteAsync(ClaimedWork work, WorkOutcome outcome, string? error = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        (long Failures, TimeSpan Backoff)? tripped = null;
        var pushed = false;
        var stale = false;
        TimeSpan? stopBackoff = null;
        lock (_lock)
        {
            var agent = work.Item.AgentId;
            var owned = LiveRecord(work.ActivationId) is { } record && Holds(record, work);
            _leases.Remove(work.ActivationId);
            if (_records.TryGetValue(work.ActivationId, out var existing) && Holds(existing, work))
            {
                _records.Remove(work.ActivationId);
            }

            var indexed = _active.TryGetValue(agent, out var activeId) && activeId == work.ActivationId;
            if (indexed)
            {
                _active.Remove(agent);
            }

            if (outcome == WorkOutcome.StoppedByOperator && indexed && _options.BreakerBaseBackoff > TimeSpan.Zero)
            {
                // Before the follow-up is pushed: the stopped agent must not start again on the same mention.
                var untilMs = Now.ToUnixTimeMilliseconds() + (long)_options.BreakerBaseBackoff.TotalMilliseconds;
                _backoffUntil[agent] = (untilMs + 999) / 1000;
                stopBackoff = _options.BreakerBaseBackoff;
            }

            stale = !owned && outcome != WorkOutcome.StoppedByOperator;
            if (owned)
            {
                switch (outcome)
                {
                    case WorkOutcome.Succeeded:
                        _failures.Remove(agent);
                        _backoffUntil.Remove(agent);
                        break;
                    case WorkOutcome.Failed:
                        tripped = RecordFailure(agent);
                        break;
                }
            }

            pushed = PushFollowUp(agent);
            _recent.AddFirst(RecentActivation.From(work, outcome, error, Now));
            while (_recent.Count > RecentActivation.Capacity)
            {
                _recent.RemoveLast();
            }
        }

        if (tripped is { } t)
        {
            WorkLog.CircuitBreaker(_logger, work.Item.AgentId, t.Failures, t.Backoff.TotalSeconds);
        }

        if (stale)
        {
            WorkLog.StaleCompletion(_logger, work.ActivationId, work.Item.AgentId, work.RunnerId, work.FencingToken);
        }

        if (stopBackoff is { } b)
        {
            WorkLog.StoppedBackoff(_logger, work.Item.AgentId, work.ActivationId, b.TotalSeconds);
        }

        if (pushed)
        {
            _signal.Set();
        }

        _completed.Set();
        return Task.CompletedTask;
    }

    public Task HandBackAsync(ClaimedWork work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        var pushed = false;
        lock (_lock)
        {
            if (LiveRecord(work.ActivationId) is { } record && Holds(record, work))
            {
                var agent = work.Item.AgentId;
                _records.Remove(work.ActivationId);
                _leases.Remove(work.ActivationId);
                if (_active.TryGetValue(agent, out var activeId) && activeId == work.ActivationId)
                {
                    _active.Remove(agent);
                }

                PushFront(WithFollowUp(record.Claim.Item));
                pushed = true;
            }
        }

        if (pushed)
        {
            _signal.Set();
        }

        return Task.CompletedTask;
    }
}
