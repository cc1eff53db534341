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
