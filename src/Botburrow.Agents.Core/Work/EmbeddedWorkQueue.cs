using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Botburrow.Agents.Work;

/// <summary>
/// The in-process backend for <c>botburrow up</c>: the same data model and guarantees as the Redis backend
/// (dedup, follow-ups, leases, reaper, breaker, epoch fencing, cancellation by deleting the record), held in
/// memory under one lock so every operation is atomic. Time comes from the <see cref="TimeProvider"/>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A work queue is the domain name.")]
public sealed partial class EmbeddedWorkQueue : IWorkQueue, ILeaderElection
{
    private static readonly WorkPriority[] NotificationOrder = [WorkPriority.High, WorkPriority.Normal];
    private static readonly WorkPriority[] ExplorationOrder = [WorkPriority.Low];
    private static readonly WorkPriority[] HybridOrder = [WorkPriority.High, WorkPriority.Normal, WorkPriority.Low];
    private static readonly WorkPriority[] HybridLowFirstOrder = [WorkPriority.Low, WorkPriority.High, WorkPriority.Normal];

    private readonly Lock _lock = new();
    private readonly WorkQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly WorkSignal _signal = new();
    private readonly WorkSignal _completed = new();

    // Index 0 is the left (newest, LPUSH side); claims take from the right (the end), so the queue is FIFO.
    private readonly Dictionary<WorkPriority, LinkedList<WorkItem>> _queues = new()
    {
        [WorkPriority.High] = new(),
        [WorkPriority.Normal] = new(),
        [WorkPriority.Low] = new(),
    };

    private readonly Dictionary<string, LinkedListNode<WorkItem>> _queued = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _active = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ActivationRecord> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _leases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WorkItem> _followUps = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _failures = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _backoffUntil = new(StringComparer.Ordinal);
    private readonly LinkedList<DeadLetter> _dead = new();
    private readonly LinkedList<RecentActivation> _recent = new();
    private readonly Dictionary<string, (RunnerHeartbeat Heartbeat, DateTimeOffset SeenAt)> _runners = new(StringComparer.Ordinal);
    private long _hybridClaims;
    private long _fence;
    private string? _leader;
    private DateTimeOffset _leaderExpires;
    private DateTimeOffset _leaderSince;
    private long _epoch;

    public EmbeddedWorkQueue(WorkQueueOptions? options = null, TimeProvider? timeProvider = null, ILogger<EmbeddedWorkQueue>? logger = null)
    {
        _options = options ?? new WorkQueueOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.HybridLowShareEvery, 1);
        _time = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    private DateTimeOffset Now => _time.GetUtcNow();

    public Task<EnqueueOutcome> EnqueueAsync(WorkItem item, long epoch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        cancellationToken.ThrowIfCancellationRequested();
        EnqueueOutcome outcome;
        lock (_lock)
        {
            if (!IsCurrentEpoch(epoch))
            {
                outcome = EnqueueOutcome.StaleEpoch;
            }
            else
            {
                outcome = PushWithDedup(item with { Epoch = epoch });
            }
        }

        if (outcome == EnqueueOutcome.StaleEpoch)
        {
            WorkLog.StaleEpoch(_logger, item.AgentId, epoch);
        }

        return Task.FromResult(outcome);
    }

    public Task<ClaimedWork?> TryClaimAsync(string runnerId, RunnerMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runnerId);
        cancellationToken.ThrowIfCancellationRequested();
        ClaimedWork? claimed = null;
        lock (_lock)
        {
            var order = mode switch
            {
                RunnerMode.Notification => NotificationOrder,
                RunnerMode.Exploration => ExplorationOrder,
                _ => (_hybridClaims + 1) % _options.HybridLowShareEvery == 0 ? HybridLowFirstOrder : HybridOrder,
            };
            foreach (var priority in order)
            {
                var queue = _queues[priority];
                while (queue.Last is { } last && claimed is null)
                {
                    queue.RemoveLast();
                    var item = last.Value;
                    _queued.Remove(item.AgentId);
                    if (_active.ContainsKey(item.AgentId))
                    {
                        // Never two runs of one agent: fold it into the running agent's follow-up.
                        MergeFollowUp(item);
                        continue;
                    }

                    var now = Now;
                    var id = Guid.NewGuid().ToString("N");
                    claimed = new ClaimedWork
                    {
                        ActivationId = id,
                        Item = item,
                        RunnerId = runnerId,
                        ClaimedAt = now,
                        LeaseExpiresAt = now + _options.LeaseDuration,
                        Epoch = item.Epoch,
                        FencingToken = ++_fence,
                    };
                    _records[id] = new ActivationRecord(claimed, claimed.LeaseExpiresAt + _options.ActivationRecordGrace);
                    _leases[id] = claimed.LeaseExpiresAt;
                    _active[item.AgentId] = id;
                }

                if (claimed is not null)
                {
                    break;
                }
            }

            if (claimed is not null && mode == RunnerMode.Hybrid)
            {
                _hybridClaims++;
            }
        }

        if (claimed is not null)
        {
            WorkLog.WorkClaimed(_logger, claimed.ActivationId, claimed.Item.AgentId, runnerId, claimed.Item.Priority, claimed.Item.Attempt);
        }

        return Task.FromResult(claimed);
    }

    public Task WaitForWorkAsync(RunnerMode mode, TimeSpan maxWait, CancellationToken cancellationToken = default)
        => _signal.WaitAsync(maxWait, _time, cancellationToken);

    public Task WaitForCompletionAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
        => _completed.WaitAsync(maxWait, _time, cancellationToken);

    public Task<IReadOnlySet<string>> HeartbeatAsync(RunnerHeartbeat heartbeat, IReadOnlyCollection<string> activationIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        ArgumentNullException.ThrowIfNull(activationIds);
        cancellationToken.ThrowIfCancellationRequested();
        var cancelled = new HashSet<string>(StringComparer.Ordinal);
        lock (_lock)
        {
            var now = Now;
            _runners[heartbeat.RunnerId] = (heartbeat, now);
            foreach (var id in activationIds)
            {
                if (LiveRecord(id) is { } record && record.Claim.RunnerId == heartbeat.RunnerId)
                {
                    var expires = now + _options.LeaseDuration;
                    _records[id] = record with { Claim = record.Claim with { LeaseExpiresAt = expires }, ExpiresAt = expires + _options.ActivationRecordGrace };
                    _leases[id] = expires;
                }
                else
                {
                    cancelled.Add(id);
                }
            }
        }

        return Task.FromResult<IReadOnlySet<string>>(cancelled);
    }

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

    public Task<LeaderLease?> TryAcquireOrRenewAsync(string instanceId, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var now = Now;
            if (_leader is not null && _leaderExpires <= now)
            {
                _leader = null;
            }

            if (_leader == instanceId)
            {
                _leaderExpires = now + ttl;
                return Task.FromResult<LeaderLease?>(new LeaderLease { InstanceId = instanceId, Epoch = _epoch, ExpiresAt = _leaderExpires, Acquired = false });
            }

            if (_leader is not null)
            {
                return Task.FromResult<LeaderLease?>(null);
            }

            _leader = instanceId;
            _leaderExpires = now + ttl;
            _leaderSince = now;
            _epoch++;
            return Task.FromResult<LeaderLease?>(new LeaderLease { InstanceId = instanceId, Epoch = _epoch, ExpiresAt = _leaderExpires, Acquired = true });
        }
    }

    public Task<bool> ReleaseAsync(LeaderLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (_leader == lease.InstanceId && _leaderExpires > Now)
            {
                _leader = null;
                return Task.FromResult(true);
            }

            return Task.FromResult(false);
        }
    }

    public Task<LeaderInfo> GetLeaderAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var now = Now;
            return Task.FromResult(_leader is not null && _leaderExpires > now
                ? new LeaderInfo { InstanceId = _leader, Since = _leaderSince, ExpiresIn = _leaderExpires - now, Epoch = _epoch }
                : new LeaderInfo { Epoch = _epoch });
        }
    }

    private static ActivationInfo ToInfo(ClaimedWork claim) => new()
    {
        ActivationId = claim.ActivationId,
        AgentId = claim.Item.AgentId,
        RunnerId = claim.RunnerId,
        TaskType = claim.Item.TaskType,
        Priority = claim.Item.Priority,
        Attempt = claim.Item.Attempt,
        Epoch = claim.Epoch,
        ClaimedAt = claim.ClaimedAt,
        LeaseExpiresAt = claim.LeaseExpiresAt,
    };

    private bool IsCurrentEpoch(long epoch)
        => _leader is not null && _leaderExpires > Now && epoch == _epoch;

    private static bool Holds(ActivationRecord record, ClaimedWork work)
        => record.Claim.RunnerId == work.RunnerId && record.Claim.FencingToken == work.FencingToken;

    private ActivationRecord? LiveRecord(string id)
    {
        if (!_records.TryGetValue(id, out var record))
        {
            return null;
        }

        if (record.ExpiresAt <= Now)
        {
            _records.Remove(id);
            return null;
        }

        return record;
    }

    private EnqueueOutcome PushWithDedup(WorkItem item, bool ignoreBackoff = false)
    {
        var agent = item.AgentId;
        if (_backoffUntil.TryGetValue(agent, out var until))
        {
            if (until * 1000 > Now.ToUnixTimeMilliseconds() && !ignoreBackoff)
            {
                return EnqueueOutcome.InBackoff;
            }

            if (until * 1000 <= Now.ToUnixTimeMilliseconds())
            {
                _backoffUntil.Remove(agent);
            }
        }

        if (_active.TryGetValue(agent, out var activeId))
        {
            if (item.TaskType == TaskType.Inbox && item.NewestNotificationMs is { } newest
                && _records.TryGetValue(activeId, out var running) && running.Claim.Item.TaskType == TaskType.Inbox
                && running.Claim.ClaimedAt.ToUnixTimeMilliseconds() >= newest)
            {
                return EnqueueOutcome.AnsweredByRunningActivation;
            }

            MergeFollowUp(item);
            return EnqueueOutcome.CoalescedIntoFollowUp;
        }

        if (_queued.TryGetValue(agent, out var node))
        {
            if (Rank(item.Priority) < Rank(node.Value.Priority))
            {
                // Upgrade: the item moves to the higher queue (at the newest end, as a fresh enqueue would).
                _queues[node.Value.Priority].Remove(node);
                _queued[agent] = _queues[item.Priority].AddFirst(item);
            }

            return EnqueueOutcome.AlreadyQueued;
        }

        _queued[agent] = _queues[item.Priority].AddFirst(item);
        _signal.Set();
        return EnqueueOutcome.Enqueued;
    }

    private void PushFront(WorkItem item)
    {
        if (_queued.TryGetValue(item.AgentId, out var existing))
        {
            _queues[existing.Value.Priority].Remove(existing);
            if (Rank(existing.Value.Priority) < Rank(item.Priority))
            {
                item = item with { Priority = existing.Value.Priority, TaskType = existing.Value.TaskType };
            }
        }

        _queued[item.AgentId] = _queues[item.Priority].AddLast(item);
    }

    private void MergeFollowUp(WorkItem item)
    {
        if (!_followUps.TryGetValue(item.AgentId, out var existing) || Rank(item.Priority) < Rank(existing.Priority))
        {
            _followUps[item.AgentId] = item with { Attempt = 1, LastError = null };
        }
    }

    private WorkItem WithFollowUp(WorkItem item)
    {
        if (_followUps.Remove(item.AgentId, out var followUp) && Rank(followUp.Priority) < Rank(item.Priority))
        {
            return item with { Priority = followUp.Priority, TaskType = followUp.TaskType, InboxCount = Math.Max(item.InboxCount, followUp.InboxCount) };
        }

        return item;
    }

    private bool PushFollowUp(string agent)
    {
        if (!_followUps.Remove(agent, out var followUp))
        {
            return false;
        }

        return PushWithDedup(followUp) == EnqueueOutcome.Enqueued;
    }

    private (long Failures, TimeSpan Backoff)? RecordFailure(string agent)
    {
        var failures = _failures[agent] = _failures.GetValueOrDefault(agent) + 1;
        var backoff = _options.BackoffFor(failures);
        if (backoff <= TimeSpan.Zero)
        {
            return null;
        }

        var untilMs = Now.ToUnixTimeMilliseconds() + (long)backoff.TotalMilliseconds;
        _backoffUntil[agent] = (untilMs + 999) / 1000;
        return (failures, backoff);
    }

    private static int Rank(WorkPriority priority) => (int)priority;

    private sealed record ActivationRecord(ClaimedWork Claim, DateTimeOffset ExpiresAt);
}
