using Botburrow.Agents.Hosting;
using Botburrow.Agents.ServiceDefaults.Metrics;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Coordinator;

/// <summary>
/// On every replica, leader or not, publishes the queue's depths, ages, active work, backoffs and dead letters as
/// metrics every <see cref="CoordinatorOptions.StatsInterval"/>. A failed round is logged with its exception.
/// </summary>
internal sealed partial class QueueStatsService : CoordinatorLoop
{
    private readonly IWorkQueue _queue;
    private readonly CoordinatorOptions _options;
    private readonly TimeProvider _timeProvider;

    public QueueStatsService(IWorkQueue queue, CoordinatorOptions options, CoordinatorStatus status, TimeProvider timeProvider, IHostApplicationLifetime lifetime, ILogger<QueueStatsService> logger)
        : base("queue_stats", status, lifetime, logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.StatsInterval, TimeSpan.Zero);
        _queue = queue;
        _options = options;
        _timeProvider = timeProvider;
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.StatsInterval, _timeProvider);
        do
        {
            try
            {
                await PublishAsync(stoppingToken);
            }
            catch (Exception ex) when (IsSurvivable(ex, stoppingToken))
            {
                LogStatsError(Logger, ex);
            }
        }
        while (await timer.NextTickOrStopAsync(stoppingToken));
    }

    private async Task PublishAsync(CancellationToken cancellationToken)
    {
        var stats = await _queue.GetStatsAsync(cancellationToken);
        foreach (var priority in Enum.GetValues<WorkPriority>())
        {
            var name = priority.ToString().ToLowerInvariant();
            FleetMetrics.QueueDepth.WithLabels(name).Set(stats.Depths.GetValueOrDefault(priority));
            FleetMetrics.QueueOldestAge.WithLabels(name).Set(stats.OldestAge.TryGetValue(priority, out var age) ? age.TotalSeconds : 0);
        }

        FleetMetrics.QueueActiveTasks.Set(stats.Active);
        FleetMetrics.QueueAgentsInBackoff.Set(stats.InBackoff);
        FleetMetrics.DeadLetters.Set(stats.Dead);
    }

    [LoggerMessage(EventName = "queue_stats_error", Level = LogLevel.Warning, Message = "Reading the queue's statistics failed; metrics keep their last values")]
    private static partial void LogStatsError(ILogger logger, Exception exception);
}
