namespace Botburrow.Agents.Work;

/// <summary>
/// The work distribution contract (design §4). Every operation is atomic; the Redis and embedded backends pass
/// the same contract tests. See <c>docs/work-lifecycle.md</c> for the states and guarantees.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A work queue is the domain name.")]
public interface IWorkQueue
{
    /// <summary>
    /// Enqueues with dedup: at most one item per agent in the system. Refused with
    /// <see cref="EnqueueOutcome.StaleEpoch"/> unless <paramref name="epoch"/> is the current leader's epoch.
    /// </summary>
    Task<EnqueueOutcome> EnqueueAsync(WorkItem item, long epoch, CancellationToken cancellationToken = default);

    /// <summary>Claims the next item the mode allows (non-blocking); <see langword="null"/> when there is none.</summary>
    Task<ClaimedWork?> TryClaimAsync(string runnerId, RunnerMode mode, CancellationToken cancellationToken = default);

    /// <summary>Returns when work may have arrived (a wake-up nudge) or when <paramref name="maxWait"/> has passed.</summary>
    Task WaitForWorkAsync(RunnerMode mode, TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>
    /// Waits until an activation completes (anywhere in the fleet) or <paramref name="maxWait"/> passes: the
    /// coordinator's pause after a poll that found only agents already queued or running ends as soon as one of
    /// them is done, so the next mention is seen at once.
    /// </summary>
    Task WaitForCompletionAsync(TimeSpan maxWait, CancellationToken cancellationToken = default);

    /// <summary>
    /// Extends the leases of the runner's live activations, writes <c>runner:heartbeat:{id}</c> and returns the
    /// activations that were cancelled (record deleted, or no longer this runner's).
    /// </summary>
    Task<IReadOnlySet<string>> HeartbeatAsync(RunnerHeartbeat heartbeat, IReadOnlyCollection<string> activationIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// The authoritative lease check an activation makes before an irreversible effect: is
    /// <c>activation:{id}</c> still this runner's, with this fencing token, and its lease unexpired?
    /// </summary>
    Task<LeaseState> CheckLeaseAsync(ClaimedWork work, CancellationToken cancellationToken = default);

    /// <summary>
    /// Ends an activation, feeds the circuit breaker and enqueues the agent's pending follow-up. Fenced: only the
    /// holder (same runner, same fencing token) changes the breaker; a stale completion only removes index entries
    /// that still name its own activation id. <see cref="WorkOutcome.StoppedByOperator"/> puts the agent into backoff
    /// (while the work is still indexed as this activation's) before any follow-up is enqueued.
    /// </summary>
    Task CompleteAsync(ClaimedWork work, WorkOutcome outcome, string? error = null, CancellationToken cancellationToken = default);

    /// <summary>Graceful drain: puts the item back at the front of its queue with the same attempt.</summary>
    Task HandBackAsync(ClaimedWork work, CancellationToken cancellationToken = default);

    /// <summary>Requeues expired leases (attempt+1) or dead-letters them; clears orphans and expired backoff.</summary>
    Task<int> ReapAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Fast failure detection: reclaims (as <see cref="ReapAsync"/> does for expired leases) the work of holders whose
    /// connection to the work store is gone; 0 when the store cannot see connections or detection is off.
    /// </summary>
    Task<int> ReclaimDisconnectedAsync(CancellationToken cancellationToken = default);

    Task<WorkQueueStats> GetStatsAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<BackoffEntry>> ListBackoffAsync(CancellationToken cancellationToken = default);

    /// <summary>Resets failures and backoff of one agent, or of all when <paramref name="agentId"/> is null; returns how many agents were cleared.</summary>
    Task<int> ClearBackoffAsync(string? agentId = null, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ActivationInfo>> ListActivationsAsync(CancellationToken cancellationToken = default);

    Task<ActivationInfo?> GetActivationAsync(string activationId, CancellationToken cancellationToken = default);

    /// <summary>Deletes <c>activation:{id}</c>: its runner cancels the run at its next heartbeat.</summary>
    Task<bool> StopActivationAsync(string activationId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DeadLetter>> ListDeadAsync(CancellationToken cancellationToken = default);

    /// <summary>Moves a dead letter back to its queue with attempt 1 (dedup applies); false when no such entry.</summary>
    Task<bool> RequeueDeadAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// The raw <c>work:active</c> index (agent → activation id), including entries whose activation record or lease
    /// is gone: <c>botburrow doctor</c> compares it with <see cref="ListActivationsAsync"/>.
    /// </summary>
    Task<IReadOnlyDictionary<string, string>> ListActiveEntriesAsync(CancellationToken cancellationToken = default);

    /// <summary>The most recently finished activations (<c>work:recent</c>, newest first, capped at <see cref="RecentActivation.Capacity"/>).</summary>
    Task<IReadOnlyList<RecentActivation>> ListRecentAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Those of <paramref name="agentIds"/> that have work queued or running, in one round trip: the coordinator
    /// skips them (no Hub call) until their activation has ended; an enqueue for them could only be coalesced.
    /// </summary>
    Task<IReadOnlySet<string>> BusyAgentsAsync(IReadOnlyCollection<string> agentIds, CancellationToken cancellationToken = default);
}
