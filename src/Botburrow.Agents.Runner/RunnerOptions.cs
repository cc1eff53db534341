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
            ShutdownGracePeriod = settings.ShutdownGracePeriod,
        };
    }
}
