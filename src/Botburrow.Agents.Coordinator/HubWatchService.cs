using System.Diagnostics;
using Botburrow.Agents.Hosting;
using Botburrow.Agents.Hub;
using Botburrow.Agents.ServiceDefaults.Metrics;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Coordinator;

/// <summary>
/// While leading, watches the Hub for agents with unread notifications: its long-poll, or a listing every
/// <c>POLL_INTERVAL</c> when the Hub has none (the long-poll is probed again after <c>LongPollReprobe</c>), and
/// schedules INBOX work for each agent whose work is not already queued or running (the queue is asked about the
/// whole batch in one round trip, and a busy agent costs no Hub call: the long-poll keeps reporting it until its
/// activation has read its notifications, and the poll after that activation completes sees what is left). A
/// failed round is logged with its exception and retried after a backoff; losing leadership stops the poll in flight.
/// </summary>
internal sealed partial class HubWatchService : CoordinatorLoop
{
    private static readonly IReadOnlySet<string> EmptySet = new HashSet<string>(StringComparer.Ordinal);
    private readonly IHubClient _hub;
    private readonly IWorkQueue _queue;
    private readonly WorkScheduler _scheduler;
    private readonly DefinitionLookup _definitions;
    private readonly LeadershipState _leadership;
    private readonly CoordinatorOptions _options;
    private readonly TimeProvider _timeProvider;
    private bool _longPoll = true;
    private DateTimeOffset _reprobeAt = DateTimeOffset.MinValue;
    private int _failures;

    public HubWatchService(IHubClient hub, IWorkQueue queue, WorkScheduler scheduler, DefinitionLookup definitions, LeadershipState leadership, CoordinatorOptions options, CoordinatorStatus status, TimeProvider timeProvider, IHostApplicationLifetime lifetime, ILogger<HubWatchService> logger)
        : base("hub_watch", status, lifetime, logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.PollInterval, TimeSpan.Zero);
        _hub = hub;
        _queue = queue;
        _scheduler = scheduler;
        _definitions = definitions;
        _leadership = leadership;
        _options = options;
        _timeProvider = timeProvider;
    }

    /// <summary>Whether the next round uses the Hub's long-poll (false while falling back to listing).</summary>
    public bool UsesLongPoll => _longPoll;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        await _definitions.PrewarmAsync(stoppingToken);
        while (await _leadership.WaitForLeadershipAsync(stoppingToken))
        {
            using var term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _leadership.Token);
            TimeSpan pause;
            try
            {
                pause = await RoundAsync(term.Token);
            }
            catch (OperationCanceledException) when (term.IsCancellationRequested && !stoppingToken.IsCancellationRequested)
            {
                LogPollStoppedOnLeadershipLoss(Logger);
                continue;
            }
            catch (Exception ex) when (IsSurvivable(ex, stoppingToken))
            {
                _failures++;
                pause = Backoff(_failures);
                if (ex is HubException or HttpRequestException)
                {
                    Status.HubUnreachable();
                }

                LogPollError(Logger, pause.TotalSeconds, ex);
            }

            if (pause > TimeSpan.Zero && !await _timeProvider.DelayOrStopAsync(pause, stoppingToken))
            {
                return;
            }
        }
    }

    /// <summary>One poll and the scheduling it leads to; returns the pause before the next.</summary>
    private async Task<TimeSpan> RoundAsync(CancellationToken cancellationToken)
    {
        if (!_longPoll && _timeProvider.GetUtcNow() >= _reprobeAt)
        {
            _longPoll = true;
        }

        var started = Stopwatch.GetTimestamp();
        IReadOnlyList<HubAgent> agents;
        var pause = TimeSpan.Zero;
        if (_longPoll)
        {
            var result = await _hub.PollAsync(_options.LongPollTimeout, _options.PollBatchSize, cancellationToken);
            if (result.Status == HubPollStatus.NotAvailable)
            {
                LogLongPollNotAvailable(Logger, _options.PollInterval.TotalSeconds, _options.LongPollReprobe.TotalMinutes);
                _longPoll = false;
                _reprobeAt = _timeProvider.GetUtcNow() + _options.LongPollReprobe;
                return TimeSpan.Zero;
            }

            if (result.Status == HubPollStatus.TimedOut || result.Agents.Count == 0)
            {
                LogPollTimeout(Logger);
            }

            agents = result.Agents;
        }
        else
        {
            agents = await _hub.ListAgentsWithNotificationsAsync(cancellationToken);
            pause = _options.PollInterval;
        }

        FleetMetrics.PollDuration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
        Status.PollSucceeded(_timeProvider.GetUtcNow());
        _failures = 0;
        var enqueued = 0;
        var busy = agents.Count == 0 ? EmptySet : await _queue.BusyAgentsAsync([.. agents.Select(a => a.Name)], cancellationToken);
        foreach (var agent in agents)
        {
            if (busy.Contains(agent.Name))
            {
                continue;
            }

            if (await _scheduler.ScheduleInboxAsync(agent, cancellationToken) == EnqueueOutcome.Enqueued)
            {
                enqueued++;
            }
        }

        if (_longPoll && agents.Count > 0 && enqueued == 0)
        {
            // Everything the Hub reported is queued or running; its long-poll would answer at once again.
            // Wait until one of those activations completes (work:completed) or IdleRepoll, then look again.
            await _queue.WaitForCompletionAsync(_options.IdleRepoll, cancellationToken);
        }

        return pause;
    }

    [LoggerMessage(EventName = "poll_timeout", Level = LogLevel.Debug, Message = "Long-poll ended with no work (expected)")]
    private static partial void LogPollTimeout(ILogger logger);

    [LoggerMessage(EventName = "long_poll_not_available_falling_back", Level = LogLevel.Warning, Message = "The Hub has no long-poll; listing every {PollIntervalSeconds} s instead, probing it again in {ReprobeMinutes} min")]
    private static partial void LogLongPollNotAvailable(ILogger logger, double pollIntervalSeconds, double reprobeMinutes);

    [LoggerMessage(EventName = "poll_error", Level = LogLevel.Error, Message = "Polling the Hub failed; retrying in {DelaySeconds} s")]
    private static partial void LogPollError(ILogger logger, double delaySeconds, Exception exception);

    [LoggerMessage(EventName = "poll_stopped_not_leader", Level = LogLevel.Information, Message = "Leadership ended during a poll; polling stops until this instance leads again")]
    private static partial void LogPollStoppedOnLeadershipLoss(ILogger logger);
}
