namespace Botburrow.Agents.Work;

/// <summary>How an activation ended; decides what the circuit breaker sees.</summary>
public enum WorkOutcome
{
    /// <summary>Resets the agent's failures and backoff.</summary>
    Succeeded,

    /// <summary>Counts one failure; may put the agent in backoff.</summary>
    Failed,

    /// <summary>Stopped by an operator or a drain; not a failure, not retried.</summary>
    Cancelled,

    /// <summary>The agent's budget refused the run; not a failure.</summary>
    RefusedByBudget,

    /// <summary>
    /// An operator deleted the activation's record (<c>botburrow activations stop</c>): not a failure, but the agent
    /// backs off for <c>BREAKER_BASE_BACKOFF</c> so that the same mention does not start it again at once.
    /// </summary>
    StoppedByOperator,
}
