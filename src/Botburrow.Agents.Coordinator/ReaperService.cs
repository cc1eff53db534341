using Botburrow.Agents.Hosting;
using Botburrow.Agents.ServiceDefaults.Metrics;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Coordinator;

/// <summary>
/// While leading, every <c>REAP_INTERVAL</c> requeues (or dead-letters) work whose runner's lease expired; with
/// <c>FAST_FAILURE_DETECTION</c> it also reclaims, every 250 ms, the work of runners whose Redis connection is gone
/// (the work store decides who is gone). A failed round is logged with its exception; the ticks after it are skipped
/// until its backoff has passed.
/// </summary>
internal sealed partial class ReaperService : CoordinatorLoop
{
    private readonly IWorkQueue _queue;
    private readonly LeadershipState _leadership;
    private readonly CoordinatorOptions _options;
    private readonly TimeProvider _timeProvider;

    public ReaperService(IWorkQueue queue, LeadershipState leadership, CoordinatorOptions options, CoordinatorStatus status, TimeProvider timeProvider, IHostApplicationLifetime lifetime, ILogger<ReaperService> logger)
        : base("reaper", status, lifetime, logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.ReapInterval, TimeSpan.Zero);
        _queue = queue;
        _leadership = leadership;
        _options = options;
        _timeProvider = timeProvider;
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ReapTick, _timeProvider);
        var failures = 0;
        var resumeAt = DateTimeOffset.MinValue;
        var nextFullReap = DateTimeOffset.MinValue;
        do
        {
            var now = _timeProvider.GetUtcNow();
            if (!_leadership.IsLeader || now < resumeAt)
            {
                continue;
            }

            try
            {
                // Every tick (250 ms with FAST_FAILURE_DETECTION): holders whose connection is gone; every
                // REAP_INTERVAL: expired leases, orphans and expired backoff.
                var full = now >= nextFullReap;
                var reaped = full ? await _queue.ReapAsync(stoppingToken) : await _queue.ReclaimDisconnectedAsync(stoppingToken);
                if (full)
                {
                    nextFullReap = now + _options.ReapInterval - TimeSpan.FromMilliseconds(1);
                    if (_options.FastFailureDetection)
                    {
                        reaped += await _queue.ReclaimDisconnectedAsync(stoppingToken);
                    }
                }

                failures = 0;
                if (reaped > 0)
                {
                    FleetMetrics.LeaseReclaims.Inc(reaped);
                    LogReaped(Logger, reaped);
                }
            }
            catch (Exception ex) when (IsSurvivable(ex, stoppingToken))
            {
                failures++;
                var pause = Backoff(failures);
                resumeAt = _timeProvider.GetUtcNow() + pause;
                LogReapError(Logger, pause.TotalSeconds, ex);
            }
        }
        while (await timer.NextTickOrStopAsync(stoppingToken));
    }

    [LoggerMessage(EventName = "leases_reaped", Level = LogLevel.Warning, Message = "Requeued or dead-lettered {Count} item(s) whose lease expired")]
    private static partial void LogReaped(ILogger logger, int count);

    [LoggerMessage(EventName = "reap_error", Level = LogLevel.Error, Message = "Reaping expired leases failed; next attempt in {DelaySeconds} s")]
    private static partial void LogReapError(ILogger logger, double delaySeconds, Exception exception);
}
