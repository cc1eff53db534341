namespace Botburrow.Agents.Work;

/// <summary>Leadership held by one coordinator instance; <see cref="Epoch"/> fences its writes.</summary>
public sealed record LeaderLease
{
    public required string InstanceId { get; init; }

    /// <summary>The value of <c>coordinator:epoch</c> taken when this instance acquired the lease.</summary>
    public required long Epoch { get; init; }

    public DateTimeOffset ExpiresAt { get; init; }

    /// <summary>True when this call acquired leadership (a new epoch), false when it renewed it.</summary>
    public bool Acquired { get; init; }
}
