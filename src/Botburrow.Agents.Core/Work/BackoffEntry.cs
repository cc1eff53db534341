namespace Botburrow.Agents.Work;

/// <summary>An agent's circuit-breaker state (<c>work:failures</c> and <c>work:backoff</c>).</summary>
public sealed record BackoffEntry
{
    public required string AgentId { get; init; }

    /// <summary>Consecutive failures.</summary>
    public long Failures { get; init; }

    /// <summary>When the backoff ends, or <see langword="null"/> when the agent is not backing off.</summary>
    public DateTimeOffset? Until { get; init; }
}
