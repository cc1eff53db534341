using Botburrow.Agents.Hosting;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Coordinator;

/// <summary>
/// While leading, every <see cref="CoordinatorOptions.StalenessScanInterval"/> makes DISCOVERY work for the agents
/// whose definition enables discovery, as <c>behavior.discovery.frequency</c> says: <c>staleness</c> agents when
/// the Hub lists them idle longer than <c>MIN_STALENESS_SECONDS</c>; <c>hourly</c> and <c>daily</c> agents when
/// their last DISCOVERY work was enqueued an hour (a day) ago or more, by this leader's clock (at once after it
/// takes the lead). A failed scan is logged with its exception; the next one comes after a backoff.
/// </summary>
internal sealed partial class StalenessScanService : CoordinatorLoop
{
    private readonly IHubClient _hub;
    private readonly WorkScheduler _scheduler;
    private readonly DefinitionLookup _definitions;
    private readonly LeadershipState _leadership;
    private readonly CoordinatorOptions _options;
    private readonly TimeProvider _timeProvider;

    /// <summary>When this leader last enqueued DISCOVERY work for each scheduled (hourly/daily) agent.</summary>
    private readonly Dictionary<string, DateTimeOffset> _lastScheduled = new(StringComparer.Ordinal);

    public StalenessScanService(IHubClient hub, WorkScheduler scheduler, DefinitionLookup definitions, LeadershipState leadership, CoordinatorOptions options, CoordinatorStatus status, TimeProvider timeProvider, IHostApplicationLifetime lifetime, ILogger<StalenessScanService> logger)
        : base("staleness_scan", status, lifetime, logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _hub = hub;
        _scheduler = scheduler;
        _definitions = definitions;
        _leadership = leadership;
        _options = options;
        _timeProvider = timeProvider;
    }

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var failures = 0;
        while (await _leadership.WaitForLeadershipAsync(stoppingToken))
        {
            var pause = _options.StalenessScanInterval;
            using var term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _leadership.Token);
            try
            {
                await ScanAsync(term.Token);
                failures = 0;
            }
            catch (OperationCanceledException) when (term.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                continue;
            }
            catch (Exception ex) when (IsSurvivable(ex, stoppingToken))
            {
                failures++;
                pause = TimeSpan.FromTicks(Math.Max(pause.Ticks, Backoff(failures).Ticks));
                LogStalenessError(Logger, pause.TotalSeconds, ex);
            }

            if (!await _timeProvider.DelayOrStopAsync(pause, stoppingToken))
            {
                return;
            }
        }
    }

    private async Task ScanAsync(CancellationToken cancellationToken)
    {
        var discoverers = (await _definitions.ListAsync(cancellationToken))
            .Where(d => d.Behavior.Discovery.Enabled)
            .ToList();
        if (discoverers.Count == 0)
        {
            return;
        }

        var now = _timeProvider.GetUtcNow();
        foreach (var definition in discoverers)
        {
            if (definition.Behavior.Discovery.Period is { } period
                && (!_lastScheduled.TryGetValue(definition.Name, out var last) || now - last >= period)
                && await _scheduler.ScheduleDiscoveryAsync(definition, cancellationToken) == EnqueueOutcome.Enqueued)
            {
                _lastScheduled[definition.Name] = now;
            }
        }

        var stalenessAgents = discoverers
            .Where(d => d.Behavior.Discovery.Period is null)
            .ToDictionary(d => d.Name, StringComparer.Ordinal);
        if (stalenessAgents.Count == 0)
        {
            return;
        }

        foreach (var agent in await _hub.ListStaleAgentsAsync(_options.MinStaleness, cancellationToken))
        {
            if (stalenessAgents.TryGetValue(agent.Name, out var definition))
            {
                await _scheduler.ScheduleDiscoveryAsync(definition, cancellationToken);
            }
        }
    }

    [LoggerMessage(EventName = "staleness_scan_error", Level = LogLevel.Error, Message = "Staleness scan failed; next scan in {DelaySeconds} s")]
    private static partial void LogStalenessError(ILogger logger, double delaySeconds, Exception exception);
}
