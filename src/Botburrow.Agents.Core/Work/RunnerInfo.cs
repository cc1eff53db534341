namespace Botburrow.Agents.Work;

/// <summary>A live runner, read back from its heartbeat.</summary>
public sealed record RunnerInfo
{
    public required string RunnerId { get; init; }

    public required string Mode { get; init; }

    public int Concurrency { get; init; }

    public int InFlight { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset LastSeenAt { get; init; }

    /// <summary>Activations the runner stopped because their lease was lost, since it started (<c>leases_lost</c>).</summary>
    public long LeasesLost { get; init; }
}
