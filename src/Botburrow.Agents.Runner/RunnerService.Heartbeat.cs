using Botburrow.Agents.Hosting;
using Botburrow.Agents.ServiceDefaults.Metrics;
using Botburrow.Agents.Work;

namespace Botburrow.Agents.Runner;

// The heartbeat: renews the leases of running activations, stops those whose record is gone or whose lease was lost.
public sealed partial class RunnerService
{
    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, _timeProvider);
        var failures = 0;
        do
        {
            try
            {
                // A runner woken from a pause: leases that lapsed meanwhile end here, before the renewal below.
                foreach (var running in _running.Values)
                {
                    running.Lease?.CheckLocal();
                }

                var live = _running.Values.Where(r => r.Lease is { LostReason: null }).ToList();
                var heartbeat = new RunnerHeartbeat
                {
                    RunnerId = _options.RunnerId,
                    Mode = _options.Mode,
                    Concurrency = _options.MaxConcurrentActivations,
                    InFlight = _running.Count,
                    StartedAt = _startedAt,
                    LeasesLost = LeasesLost,
                };
                var sentAt = _timeProvider.GetTimestamp();
                var cancelled = await _queue.HeartbeatAsync(heartbeat, live.Select(r => r.Work.ActivationId).ToList(), cancellationToken);
                failures = 0;
                FleetMetrics.RunnerHeartbeat.WithLabels(_options.RunnerId).Set(_timeProvider.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
                foreach (var running in live)
                {
                    if (!cancelled.Contains(running.Work.ActivationId))
                    {
                        running.Lease!.Renewed(sentAt);
                    }
                }

                foreach (var id in cancelled)
                {
                    if (_running.TryGetValue(id, out var running) && running.Lease is { } lease)
                    {
                        await ClassifyCancelledAsync(lease, cancellationToken);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (!IsFatal(ex))
            {
                failures++;
                LogHeartbeatFailed(_logger, ex.Message, failures, ex);
            }
        }
        while (await timer.NextTickOrStopAsync(cancellationToken));
    }

    /// <summary>Tells an operator's stop (record deleted, lease entry still there) from a lease lost to another holder.</summary>
    private async Task ClassifyCancelledAsync(HeldLease lease, CancellationToken cancellationToken)
    {
        LeaseState state;
        try
        {
            state = await _queue.CheckLeaseAsync(lease.Work, cancellationToken);
        }
        catch (Exception ex) when (ex is WorkQueueUnavailableException or TimeoutException)
        {
            state = LeaseState.Gone;
        }

        lease.Lose(state == LeaseState.Held ? LeaseState.Gone : state, HeldLease.Describe(state == LeaseState.Held ? LeaseState.Gone : state));
    }

    private void OnLeaseLost(RunningActivation running, LeaseState state, string reason)
    {
        var work = running.Work;
        if (state == LeaseState.StoppedByOperator)
        {
            LogStopRequested(_logger, work.Item.AgentId, work.ActivationId);
            running.Stop(StopReason.StoppedByOperator);
            return;
        }

        Interlocked.Increment(ref _leasesLost);
        FleetMetrics.LeasesLost.WithLabels(_options.RunnerId).Inc();
        LogLeaseLost(_logger, work.Item.AgentId, work.ActivationId, work.FencingToken, reason);
        running.Stop(StopReason.LeaseLost);
    }
}
