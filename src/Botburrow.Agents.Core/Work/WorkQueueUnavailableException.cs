namespace Botburrow.Agents.Work;

/// <summary>The work store cannot be reached. The message names the store (a Redis URL with its password masked).</summary>
public sealed class WorkQueueUnavailableException : Exception
{
    public WorkQueueUnavailableException()
    {
    }

    public WorkQueueUnavailableException(string message)
        : base(message)
    {
    }

    public WorkQueueUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
