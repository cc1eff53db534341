using Botburrow.Agents.Configuration;

namespace Botburrow.Agents.Work;

/// <summary>The knobs of the work system, built from <see cref="BotburrowSettings"/>.</summary>
public sealed record WorkQueueOptions
{
    /// <value>15 s (LEASE_DURATION).</value>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <value>3 (MAX_ATTEMPTS).</value>
    public int MaxAttempts { get; init; } = 3;

    /// <value>5 (BREAKER_MAX_FAILURES).</value>
    public int BreakerMaxFailures { get; init; } = 5;

    /// <value>60 s (BREAKER_BASE_BACKOFF).</value>
    public TimeSpan BreakerBaseBackoff { get; init; } = TimeSpan.FromSeconds(60);

    /// <value>3600 s (BREAKER_MAX_BACKOFF).</value>
    public TimeSpan BreakerMaxBackoff { get; init; } = TimeSpan.FromSeconds(3600);

    /// <summary>In hybrid mode every Nth successful claim tries <c>low</c> first (when it has items).</summary>
    /// <value>5: low gets at least one claim in five while it has work.</value>
    public int HybridLowShareEvery { get; init; } = 5;

    /// <summary>TTL of <c>runner:heartbeat:{id}</c>.</summary>
    /// <value>15 s (three heartbeats at the default interval).</value>
    public TimeSpan HeartbeatTtl { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Safety TTL of <c>activation:{id}</c> beyond its lease; the reaper normally removes it first.</summary>
    /// <value>1 hour.</value>
    public TimeSpan ActivationRecordGrace { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Whether a lease holder (a runner, or the leader for its standbys) whose named Redis connection is gone from
    /// <c>CLIENT LIST</c> counts as dead at once instead of when its lease expires (<c>FAST_FAILURE_DETECTION</c>).
    /// </summary>
    /// <value>true.</value>
    public bool FastFailureDetection { get; init; } = true;

    /// <summary>How long a holder's connection must stay absent before it counts as dead (rides out a reconnect).</summary>
    /// <value>0.75 s.</value>
    public TimeSpan DisconnectGrace { get; init; } = TimeSpan.FromMilliseconds(750);

    /// <summary>Key prefix for isolation (tests, several environments in one Redis); empty for the guide's names.</summary>
    public string KeyPrefix { get; init; } = "";

    public static WorkQueueOptions FromSettings(BotburrowSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new WorkQueueOptions
        {
            LeaseDuration = settings.LeaseDuration,
            MaxAttempts = settings.MaxAttempts,
            BreakerMaxFailures = settings.BreakerMaxFailures,
            BreakerBaseBackoff = settings.BreakerBaseBackoff,
            BreakerMaxBackoff = settings.BreakerMaxBackoff,
            HeartbeatTtl = settings.HeartbeatInterval * 3,
            FastFailureDetection = settings.FastFailureDetection,
        };
    }

    /// <summary>The breaker's backoff after <paramref name="failures"/> consecutive failures, or zero below the threshold.</summary>
    public TimeSpan BackoffFor(long failures)
    {
        if (failures < BreakerMaxFailures)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Min(failures - BreakerMaxFailures, 30);
        var seconds = BreakerBaseBackoff.TotalSeconds * Math.Pow(2, exponent);
        return TimeSpan.FromSeconds(Math.Min(seconds, BreakerMaxBackoff.TotalSeconds));
    }
}
