using Botburrow.Agents.Hosting;
using Botburrow.Agents.ServiceDefaults.Metrics;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Coordinator;

/// <summary>
/// Competes for the fenced leader lease: the leader renews every third of <c>LEADER_LEASE_DURATION</c>, a standby
/// tries at least every 500 ms (every 250 ms with <c>FAST_FAILURE_DETECTION</c>, when the work store also takes over
/// from a leader whose Redis connection is gone). No attempt outlives the lease it renews, so when the work store stops answering the
/// term ends (and <c>botburrow_coordinator_is_leader</c> drops to 0) when the lease expires, not when the store's
/// own timeouts give up. Stopping releases the lease so a standby takes over at once.
/// </summary>
internal sealed partial class LeadershipService : CoordinatorLoop
{
    private static readonly TimeSpan StandbyRetry = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ShortestAttempt = TimeSpan.FromMilliseconds(50);
    private readonly ILeaderElection _election;
    private readonly LeadershipState _leadership;
    private readonly CoordinatorOptions _options;
    private readonly TimeProvider _timeProvider;

    public LeadershipService(ILeaderElection election, LeadershipState leadership, CoordinatorOptions options, CoordinatorStatus status, TimeProvider timeProvider, IHostApplicationLifetime lifetime, ILogger<LeadershipService> logger)
        : base("leadership", status, lifetime, logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _election = election;
        _leadership = leadership;
        _options = options;
        _timeProvider = timeProvider;
    }

    /// <summary>How often the leader renews: a third of the lease, at least 100 ms.</summary>
    public TimeSpan RenewInterval => TimeSpan.FromTicks(Math.Max(_options.LeaderLease.Ticks / 3, TimeSpan.FromMilliseconds(100).Ticks));

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_leadership.Lease is not { } lease)
        {
            return;
        }

        _leadership.Lose();
        FleetMetrics.CoordinatorIsLeader.WithLabels(_options.InstanceId).Set(0);
        try
        {
            if (await _election.ReleaseAsync(lease, cancellationToken))
            {
                LogReleasedLeadership(Logger, _options.InstanceId, lease.Epoch);
            }
        }
        catch (Exception ex) when (!IsFatal(ex))
        {
            // The lease then simply expires; a standby takes over within LEADER_LEASE_DURATION.
            LogReleaseFailed(Logger, _options.InstanceId, ex);
        }
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        LogStarting(Logger, _options.InstanceId);
        while (!stoppingToken.IsCancellationRequested)
        {
            await AttemptAsync(stoppingToken);
            var leading = _leadership.IsLeader;
            FleetMetrics.CoordinatorIsLeader.WithLabels(_options.InstanceId).Set(leading ? 1 : 0);
            var standby = _options.FastFailureDetection ? CoordinatorOptions.LivenessInterval : StandbyRetry;
            var wait = leading ? RenewInterval : TimeSpan.FromTicks(Math.Min(RenewInterval.Ticks, standby.Ticks));
            if (!await _timeProvider.DelayOrStopAsync(wait, stoppingToken))
            {
                return;
            }
        }
    }

    /// <summary>One acquire-or-renew, bounded by what is left of the lease held (or by the renew interval).</summary>
    internal async Task AttemptAsync(CancellationToken stoppingToken)
    {
        var held = _leadership.Lease;
        var limit = held is null ? RenewInterval : _leadership.Remaining;
        var requestedAt = _timeProvider.GetTimestamp();
        if (limit < ShortestAttempt)
        {
            limit = ShortestAttempt;
        }

        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        using var deadline = new CancellationTokenSource(limit, _timeProvider);
        using var link = deadline.Token.Register(static state => ((CancellationTokenSource)state!).Cancel(), attempt);
        try
        {
            var lease = await _election.TryAcquireOrRenewAsync(_options.InstanceId, _options.LeaderLease, attempt.Token).WaitAsync(attempt.Token);
            if (lease is null)
            {
                if (_leadership.Lose())
                {
                    LogLostLeadership(Logger, _options.InstanceId);
                }
            }
            else if (_leadership.Gain(lease, requestedAt, _options.LeaderLease) || lease.Acquired)
            {
                LogBecameLeader(Logger, _options.InstanceId, lease.Epoch);
                FleetMetrics.LeaderEpoch.WithLabels(_options.InstanceId).Set(lease.Epoch);
            }
        }
        catch (Exception ex) when (IsSurvivable(ex, stoppingToken))
        {
            if (deadline.IsCancellationRequested)
            {
                LogAttemptTimedOut(Logger, _options.InstanceId, limit.TotalMilliseconds, ex);
            }
            else
            {
                LogLeaderError(Logger, _options.InstanceId, ex);
            }

            // Without an answer the lease cannot be known to last beyond its expiry.
            if (_leadership.Lease is null && _leadership.Lose())
            {
                LogLostLeadership(Logger, _options.InstanceId);
            }
        }
    }

    [LoggerMessage(EventName = "coordinator_starting", Level = LogLevel.Information, Message = "Coordinator {InstanceId} starting")]
    private static partial void LogStarting(ILogger logger, string instanceId);

    [LoggerMessage(EventName = "became_leader", Level = LogLevel.Information, Message = "Coordinator {InstanceId} became leader (is_leader:true, epoch {Epoch})")]
    private static partial void LogBecameLeader(ILogger logger, string instanceId, long epoch);

    [LoggerMessage(EventName = "lost_leadership", Level = LogLevel.Warning, Message = "Coordinator {InstanceId} is no longer leader")]
    private static partial void LogLostLeadership(ILogger logger, string instanceId);

    [LoggerMessage(EventName = "released_leadership", Level = LogLevel.Information, Message = "Coordinator {InstanceId} released leadership (epoch {Epoch})")]
    private static partial void LogReleasedLeadership(ILogger logger, string instanceId, long epoch);

    [LoggerMessage(EventName = "leader_release_failed", Level = LogLevel.Warning, Message = "Coordinator {InstanceId} could not release its lease; it expires on its own")]
    private static partial void LogReleaseFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventName = "leader_election_error", Level = LogLevel.Warning, Message = "Coordinator {InstanceId}: leader election failed")]
    private static partial void LogLeaderError(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(EventName = "leader_election_timeout", Level = LogLevel.Warning, Message = "Coordinator {InstanceId}: the work store did not answer the leader election within {LimitMs} ms")]
    private static partial void LogAttemptTimedOut(ILogger logger, string instanceId, double limitMs, Exception exception);
}
