namespace Botburrow.Agents.Runner.Execution;

/// <summary>An activation failed for a reason the operator can read (and the breaker counts).</summary>
public sealed class ActivationFailedException : Exception
{
    public ActivationFailedException()
    {
    }

    public ActivationFailedException(string message)
        : base(message)
    {
    }

    public ActivationFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
