namespace Botburrow.Agents.Work;

/// <summary>What the work store says about a claim's lease (<see cref="IWorkQueue.CheckLeaseAsync"/>).</summary>
public enum LeaseState
{
    /// <summary>The record is this runner's, with this fencing token, and its lease has not expired.</summary>
    Held,

    /// <summary>The record is still this runner's but its lease time has passed: the reaper may take it any moment.</summary>
    Expired,

    /// <summary>The record belongs to another runner or carries another fencing token.</summary>
    TakenOver,

    /// <summary>An operator deleted the record (its lease entry is still there): the run must stop.</summary>
    StoppedByOperator,

    /// <summary>Neither record nor lease entry: the work was reaped, completed or handed back.</summary>
    Gone,
}
