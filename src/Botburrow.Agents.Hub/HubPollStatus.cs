namespace Botburrow.Agents.Hub;

/// <summary>How a long-poll ended.</summary>
public enum HubPollStatus
{
    /// <summary>The Hub answered; <see cref="HubPollResult.Agents"/> may still be empty (its own timeout).</summary>
    Answered,

    /// <summary>The client gave up waiting: treat as "no work".</summary>
    TimedOut,

    /// <summary>The Hub has no long-poll endpoint (404): fall back to listing agents with notifications.</summary>
    NotAvailable,
}
