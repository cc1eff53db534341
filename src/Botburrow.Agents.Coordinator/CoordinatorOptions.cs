using Botburrow.Agents.Configuration;
using Microsoft.Extensions.Options;

namespace Botburrow.Agents.Coordinator;

/// <summary>How the coordinator leads, polls and reaps.</summary>
public sealed record CoordinatorOptions
{
    public required string InstanceId { get; init; }

    public TimeSpan LeaderLease { get; init; } = TimeSpan.FromSeconds(8);

    public TimeSpan LongPollTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public int PollBatchSize { get; init; } = 100;

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long after falling back to listing the coordinator probes the long-poll again.</summary>
    public TimeSpan LongPollReprobe { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan MinStaleness { get; init; } = TimeSpan.FromSeconds(900);

    public TimeSpan ReapInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>FAST_FAILURE_DETECTION</c>: the reaper and a standby look at the holders' Redis connections every
    /// <see cref="LivenessInterval"/> instead of waiting for leases to expire.
    /// </summary>
    public bool FastFailureDetection { get; init; } = true;

    /// <summary>How often the reaper and a standby check holders' connections when <see cref="FastFailureDetection"/> is on.</summary>
    public static TimeSpan LivenessInterval => TimeSpan.FromMilliseconds(250);

    /// <summary>The reaper's tick: <see cref="ReapInterval"/>, or <see cref="LivenessInterval"/> when that is shorter and fast detection is on.</summary>
    public TimeSpan ReapTick => FastFailureDetection && LivenessInterval < ReapInterval ? LivenessInterval : ReapInterval;

    public TimeSpan StatsInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Longest pause after a poll that found only agents already queued, running or held back; it ends as soon as an activation completes.</summary>
    public TimeSpan IdleRepoll { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the coordinator reuses an agent's budget health from the Hub before asking again (the runner
    /// checks it again when it claims the work, so a stale answer costs at most one skipped or extra activation).
    /// </summary>
    public TimeSpan BudgetHealthTtl { get; init; } = TimeSpan.FromSeconds(10);

    public static CoordinatorOptions FromSettings(BotburrowSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new CoordinatorOptions
        {
            InstanceId = settings.RunnerId,
            LeaderLease = settings.LeaderLeaseDuration,
            PollInterval = settings.PollInterval,
            MinStaleness = settings.MinStaleness,
            ReapInterval = settings.ReapInterval,
            FastFailureDetection = settings.FastFailureDetection,
        };
    }

    /// <summary>How often the staleness scan runs: a quarter of the staleness, between 1 s and 60 s.</summary>
    public TimeSpan StalenessScanInterval => TimeSpan.FromSeconds(Math.Clamp(MinStaleness.TotalSeconds / 4, 1, 60));

    /// <summary>Throws <see cref="OptionsValidationException"/> naming every value out of range, so bad settings stop the coordinator at start.</summary>
    public void Validate()
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(InstanceId))
        {
            failures.Add("InstanceId (RUNNER_ID) must not be empty.");
        }

        Positive(failures, LeaderLease, "LeaderLease (LEADER_LEASE_DURATION)");
        Positive(failures, LongPollTimeout, nameof(LongPollTimeout));
        Positive(failures, PollInterval, "PollInterval (POLL_INTERVAL)");
        Positive(failures, LongPollReprobe, nameof(LongPollReprobe));
        Positive(failures, MinStaleness, "MinStaleness (MIN_STALENESS_SECONDS)");
        Positive(failures, ReapInterval, "ReapInterval (REAP_INTERVAL)");
        Positive(failures, StatsInterval, nameof(StatsInterval));
        Positive(failures, IdleRepoll, nameof(IdleRepoll));
        Positive(failures, BudgetHealthTtl, nameof(BudgetHealthTtl));
        if (PollBatchSize < 1)
        {
            failures.Add($"PollBatchSize must be at least 1, not {PollBatchSize}.");
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(nameof(CoordinatorOptions), typeof(CoordinatorOptions), failures);
        }
    }

    private static void Positive(List<string> failures, TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero)
        {
            failures.Add($"{name} must be positive, not {value}.");
        }
    }
}
