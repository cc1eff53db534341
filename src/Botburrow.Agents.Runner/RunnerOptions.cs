using Botburrow.Agents.Configuration;
using Botburrow.Agents.Work;

namespace Botburrow.Agents.Runner;

/// <summary>How one runner claims and runs work.</summary>
public sealed record RunnerOptions
{
    public required string RunnerId { get; init; }

    public RunnerMode Mode { get; init; } = RunnerMode.Hybrid;

    public int MaxConcurrentActivations { get; init; } = 1;

    public TimeSpan ActivationTimeout { get; init; } = TimeSpan.FromSeconds(600);

    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The work store's lease (<c>LEASE_DURATION</c>): how long a claim lasts without a renewal.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long before the lease's end the runner stops trusting it (clock rate differences, a slow round trip): a
    /// quarter of the lease, or half of what the lease leaves beyond one heartbeat interval when that is less, so a
    /// renewal always lands before the lease is distrusted.
    /// </summary>
    public TimeSpan LeaseSafetyMargin => TimeSpan.FromTicks(Math.Max(0, Math.Min(LeaseDuration.Ticks / 4, (LeaseDuration - HeartbeatInterval).Ticks / 2)));

    public TimeSpan ShutdownGracePeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest idle wait between claim attempts when no nudge arrives.</summary>
    public TimeSpan IdlePoll { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long an activation's transcript is kept (<c>transcript:{activation_id}</c>). <value>7 days.</value></summary>
    public TimeSpan TranscriptTtl { get; init; } = TimeSpan.FromDays(7);

    public static RunnerOptions FromSettings(BotburrowSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new RunnerOptions
        {
            RunnerId = settings.RunnerId,
            Mode = settings.RunnerMode,
            MaxConcurrentActivations = settings.MaxConcurrentActivations,
            ActivationTimeout = settings.ActivationTimeout,
            HeartbeatInterval = settings.HeartbeatInterval,
            LeaseDuration = settings.LeaseDuration,
            ShutdownGracePeriod = settings.ShutdownGracePeriod,
        };
    }
}
