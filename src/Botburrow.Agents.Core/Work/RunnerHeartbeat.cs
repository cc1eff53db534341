namespace Botburrow.Agents.Work;

/// <summary>What a runner writes to <c>runner:heartbeat:{id}</c>.</summary>
public sealed record RunnerHeartbeat
{
    public required string RunnerId { get; init; }

    public required RunnerMode Mode { get; init; }

    public int Concurrency { get; init; } = 1;

    public int InFlight { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Activations the runner stopped because their lease was lost, since it started (<c>leases_lost</c>).</summary>
    public long LeasesLost { get; init; }
}
