namespace Botburrow.Agents.Work;

/// <summary>What <see cref="IWorkQueue.EnqueueAsync"/> did with an item.</summary>
public enum EnqueueOutcome
{
    /// <summary>Pushed onto its queue.</summary>
    Enqueued,

    /// <summary>The agent is running: recorded as its follow-up, enqueued when the run ends.</summary>
    CoalescedIntoFollowUp,

    /// <summary>
    /// The agent's running INBOX activation was claimed after the item's newest notification arrived: it answers
    /// that notification already, so nothing is recorded.
    /// </summary>
    AnsweredByRunningActivation,

    /// <summary>The agent already has a queued item (upgraded in place when the new priority is higher).</summary>
    AlreadyQueued,

    /// <summary>The agent sits in circuit-breaker backoff; the item was dropped.</summary>
    InBackoff,

    /// <summary>The epoch is not the current leader's: a stale leader's write was refused.</summary>
    StaleEpoch,
}
