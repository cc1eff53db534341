namespace Botburrow.Agents.Work;

/// <summary>An activation record (<c>activation:{id}</c>).</summary>
public sealed record ActivationInfo
{
    public required string ActivationId { get; init; }

    public required string AgentId { get; init; }

    public required string RunnerId { get; init; }

    public required TaskType TaskType { get; init; }

    public required WorkPriority Priority { get; init; }

    public int Attempt { get; init; }

    public long Epoch { get; init; }

    public DateTimeOffset ClaimedAt { get; init; }

    public DateTimeOffset LeaseExpiresAt { get; init; }
}
