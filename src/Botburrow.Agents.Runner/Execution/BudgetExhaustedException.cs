namespace Botburrow.Agents.Runner.Execution;

/// <summary>
/// The activation's budget would be exceeded by the next model call. The activation ends as
/// <c>RefusedByBudget</c> (not a failure: the breaker does not count it, and retrying would not help).
/// </summary>
public sealed class BudgetExhaustedException : Exception
{
    public BudgetExhaustedException()
    {
    }

    public BudgetExhaustedException(string message)
        : base(message)
    {
    }

    public BudgetExhaustedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
