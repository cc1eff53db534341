using System.Diagnostics;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Sources;
using Botburrow.Agents.Hosting;
using Botburrow.Agents.Hub;
using Botburrow.Agents.ServiceDefaults.Metrics;
using Botburrow.Agents.ServiceDefaults.Telemetry;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Coordinator;

/// <summary>
/// The coordinator: every replica competes for the fenced leader lease; the leader watches the Hub (long-poll,
/// or listing every <c>POLL_INTERVAL</c> when the Hub has none), enqueues INBOX work for agents with unread
/// notifications and DISCOVERY work for stale agents with discovery enabled, skips agents over budget, and reaps
/// expired leases. Every enqueue carries the leader's epoch, so a deposed leader's writes are refused.
/// </summary>
public sealed partial class CoordinatorService : BackgroundService
{
    private readonly IAgentActivityStore? _activity;
    private readonly IWorkQueue _queue;
    private readonly ILeaderElection _election;
    private readonly IHubClient _hub;
    private readonly AgentDefinitionCache _definitions;
    private readonly CoordinatorOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<CoordinatorService> _logger;
    private readonly HashSet<string> _reportedUnknown = new(StringComparer.Ordinal);
    private volatile LeaderLease? _lease;
    private TaskCompletionSource _leadership = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CoordinatorService(IWorkQueue queue, ILeaderElection election, IHubClient hub, AgentDefinitionCache definitions, CoordinatorOptions options, TimeProvider timeProvider, ILogger<CoordinatorService> logger, IAgentActivityStore? activity = null)
    {
        _activity = activity;
        _queue = queue;
        _election = election;
        _hub = hub;
        _definitions = definitions;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>True while this instance holds an unexpired leader lease.</summary>
    public bool IsLeader => _lease is { } lease && lease.ExpiresAt > _timeProvider.GetUtcNow();

    /// <summary>The fencing epoch of the lease held, if any.</summary>
    public long? Epoch => IsLeader ? _lease?.Epoch : null;

    /// <summary>True when the Hub answered the last check (for readiness).</summary>
    public bool HubReachable { get; private set; } = true;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarting(_logger, _options.InstanceId);
        try
        {
            await PrewarmAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        await Task.WhenAll(
            LeaderLoopAsync(stoppingToken),
            PollLoopAsync(stoppingToken),
            StalenessLoopAsync(stoppingToken),
            EveryAsync(_options.ReapInterval, ReapAsync, leaderOnly: true, stoppingToken),
            EveryAsync(_options.StatsInterval, PublishStatsAsync, leaderOnly: false, stoppingToken));
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (_lease is { } lease)
        {
            try
            {
                if (await _election.ReleaseAsync(lease, cancellationToken))
                {
                    LogReleasedLeadership(_logger, _options.InstanceId, lease.Epoch);
                }
            }
            catch (Exception ex) when (ex is WorkQueueUnavailableException or TimeoutException or OperationCanceledException)
            {
                LogLeaderError(_logger, ex.Message);
            }

            _lease = null;
            FleetMetrics.CoordinatorIsLeader.WithLabels(_options.InstanceId).Set(0);
        }
    }

    private async Task PrewarmAsync(CancellationToken cancellationToken)
    {
        try
        {
            var definitions = await _definitions.ListAsync(cancellationToken);
            LogPrewarmed(_logger, definitions.Count);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPrewarmFailed(_logger, ex.Message);
        }
    }

    private async Task LeaderLoopAsync(CancellationToken stoppingToken)
    {
        var interval = TimeSpan.FromTicks(Math.Max(_options.LeaderLease.Ticks / 3, TimeSpan.FromMilliseconds(100).Ticks));
        while (!stoppingToken.IsCancellationRequested)
        {
            var wasLeader = IsLeader;
            try
            {
                var lease = await _election.TryAcquireOrRenewAsync(_options.InstanceId, _options.LeaderLease, stoppingToken);
                _lease = lease;
                if (lease is not null && (!wasLeader || lease.Acquired))
                {
                    LogBecameLeader(_logger, _options.InstanceId, lease.Epoch);
                    FleetMetrics.LeaderEpoch.WithLabels(_options.InstanceId).Set(lease.Epoch);
                    _leadership.TrySetResult();
                }
                else if (lease is null && wasLeader)
                {
                    LogLostLeadership(_logger, _options.InstanceId);
                    _leadership = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WorkQueueUnavailableException or TimeoutException)
            {
                LogLeaderError(_logger, ex.Message);
            }

            FleetMetrics.CoordinatorIsLeader.WithLabels(_options.InstanceId).Set(IsLeader ? 1 : 0);

            // The leader renews every third of its lease; a standby tries to take over at least every 500 ms,
            // so a graceful release (the old leader deletes the key) is picked up within half a second.
            var wait = IsLeader ? interval : TimeSpan.FromTicks(Math.Min(interval.Ticks, TimeSpan.FromMilliseconds(500).Ticks));
            if (!await _timeProvider.DelayOrStopAsync(wait, stoppingToken))
            {
                return;
            }
        }
    }

    private async Task PollLoopAsync(CancellationToken stoppingToken)
    {
        var longPoll = true;
        var reprobeAt = DateTimeOffset.MinValue;
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await WaitForLeadershipAsync(stoppingToken))
            {
                return;
            }

            var pause = TimeSpan.Zero;
            var started = Stopwatch.GetTimestamp();
            try
            {
                if (!longPoll && _timeProvider.GetUtcNow() >= reprobeAt)
                {
                    longPoll = true;
                }

                IReadOnlyList<HubAgent> agents;
                if (longPoll)
                {
                    var result = await _hub.PollAsync(_options.LongPollTimeout, _options.PollBatchSize, stoppingToken);
                    if (result.Status == HubPollStatus.NotAvailable)
                    {
                        LogLongPollNotAvailable(_logger, _options.PollInterval.TotalSeconds);
                        longPoll = false;
                        reprobeAt = _timeProvider.GetUtcNow() + _options.LongPollReprobe;
                        continue;
                    }

                    if (result.Status == HubPollStatus.TimedOut)
                    {
                        LogPollTimeout(_logger);
                    }

                    agents = result.Agents;
                }
                else
                {
                    agents = await _hub.ListAgentsWithNotificationsAsync(stoppingToken);
                    pause = _options.PollInterval;
                }

                FleetMetrics.PollDuration.Observe(Stopwatch.GetElapsedTime(started).TotalSeconds);
                HubReachable = true;
                failures = 0;
                var enqueued = 0;
                foreach (var agent in agents)
                {
                    if (await EnqueueInboxAsync(agent, stoppingToken) == EnqueueOutcome.Enqueued)
                    {
                        enqueued++;
                    }
                }

                if (longPoll && agents.Count > 0 && enqueued == 0)
                {
                    // Everything the Hub reported is queued or running; its long-poll would answer at once again.
                    // Wait until one of those activations completes (or IdleRepoll), then look again.
                    try
                    {
                        await _queue.WaitForCompletionAsync(_options.IdleRepoll, stoppingToken);
                    }
                    catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                    {
                        return;
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HubException or HttpRequestException or WorkQueueUnavailableException or TimeoutException)
            {
                HubReachable = ex is not HubException and not HttpRequestException;
                failures++;
                pause = TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(failures, 5))));
                LogPollError(_logger, ex.Message, pause.TotalSeconds);
            }

            if (pause > TimeSpan.Zero && !await _timeProvider.DelayOrStopAsync(pause, stoppingToken))
            {
                return;
            }
        }
    }

    private async Task<EnqueueOutcome?> EnqueueInboxAsync(HubAgent agent, CancellationToken cancellationToken)
    {
        var definition = await FindDefinitionAsync(agent.Name, cancellationToken);
        if (definition is null || await IsOverBudgetAsync(agent.Name, cancellationToken))
        {
            return null;
        }

        if (await WaitsForMinIntervalAsync(definition, cancellationToken))
        {
            return null;
        }

        var notifications = await _hub.ListNotificationsAsync(agent.Name, unreadOnly: true, cancellationToken: cancellationToken);
        if (notifications.Count == 0)
        {
            return null;
        }

        var urgent = notifications.Any(n => n.KnownType is HubNotificationType.Mention or HubNotificationType.Dm);
        using var span = BotburrowActivitySources.Coordinator.StartActivity("enqueue_work", ActivityKind.Producer);
        span?.SetTag("botburrow.agent_id", agent.Name);
        span?.SetTag("botburrow.task_type", "inbox");
        return await EnqueueAsync(
            new WorkItem
            {
                AgentId = agent.Name,
                AgentName = definition.DisplayName ?? agent.Name,
                TaskType = TaskType.Inbox,
                Priority = urgent ? WorkPriority.High : WorkPriority.Normal,
                InboxCount = notifications.Count,
                // The queue drops the item when the agent's running INBOX run was claimed after this: that run lists
                // (and answers) these notifications; whatever it leaves unread is seen again once it has ended.
                NewestNotificationMs = notifications.Max(n => n.CreatedAt).ToUnixTimeMilliseconds(),
                CreatedAt = _timeProvider.GetUtcNow(),
                TraceParent = Activity.Current?.Id,
            },
            cancellationToken);
    }

    private async Task StalenessLoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await WaitForLeadershipAsync(stoppingToken))
            {
                return;
            }

            try
            {
                var discoverers = (await _definitions.ListAsync(stoppingToken))
                    .Where(d => d.Behavior.Discovery.Enabled)
                    .ToDictionary(d => d.Name, StringComparer.Ordinal);
                if (discoverers.Count > 0)
                {
                    foreach (var agent in await _hub.ListStaleAgentsAsync(_options.MinStaleness, stoppingToken))
                    {
                        if (!discoverers.TryGetValue(agent.Name, out var definition) || await IsOverBudgetAsync(agent.Name, stoppingToken))
                        {
                            continue;
                        }

                        await EnqueueAsync(
                            new WorkItem
                            {
                                AgentId = agent.Name,
                                AgentName = definition.DisplayName ?? agent.Name,
                                TaskType = TaskType.Discovery,
                                Priority = WorkPriority.Low,
                                CreatedAt = _timeProvider.GetUtcNow(),
                            },
                            stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is HubException or HttpRequestException or WorkQueueUnavailableException or TimeoutException)
            {
                LogStalenessError(_logger, ex.Message);
            }

            if (!await _timeProvider.DelayOrStopAsync(_options.StalenessScanInterval, stoppingToken))
            {
                return;
            }
        }
    }

    private async Task<EnqueueOutcome?> EnqueueAsync(WorkItem item, CancellationToken cancellationToken)
    {
        if (_lease is not { } lease || !IsLeader)
        {
            return null;
        }

        var outcome = await _queue.EnqueueAsync(item, lease.Epoch, cancellationToken);
        var priority = item.Priority.ToString().ToLowerInvariant();
        var taskType = item.TaskType.ToString().ToLowerInvariant();
        var outcomeName = System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(outcome.ToString());
        FleetMetrics.WorkEnqueued.WithLabels(priority, outcomeName).Inc();
        switch (outcome)
        {
            case EnqueueOutcome.Enqueued:
                LogWorkEnqueued(_logger, item.AgentId, taskType, priority);
                break;
            case EnqueueOutcome.InBackoff:
                LogAgentInBackoff(_logger, item.AgentId);
                break;
            case EnqueueOutcome.AnsweredByRunningActivation:
                LogAlreadyBeingAnswered(_logger, item.AgentId, item.InboxCount);
                break;
            case EnqueueOutcome.StaleEpoch:
                LogStaleEpoch(_logger, _options.InstanceId, lease.Epoch);
                _lease = null;
                break;
            default:
                LogDuplicateWorkSkipped(_logger, item.AgentId, outcomeName);
                break;
        }

        return outcome;
    }

    private async Task ReapAsync(CancellationToken cancellationToken)
    {
        var reaped = await _queue.ReapAsync(cancellationToken);
        if (reaped > 0)
        {
            FleetMetrics.LeaseReclaims.Inc(reaped);
            LogReaped(_logger, reaped);
        }
    }

    private async Task PublishStatsAsync(CancellationToken cancellationToken)
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

    private async Task<AgentDefinition?> FindDefinitionAsync(string agent, CancellationToken cancellationToken)
    {
        try
        {
            return await _definitions.GetAsync(agent, cancellationToken);
        }
        catch (AgentConfigNotFoundException ex)
        {
            lock (_reportedUnknown)
            {
                if (_reportedUnknown.Add(agent))
                {
                    LogUnknownAgent(_logger, agent, ex.Message);
                }
            }

            return null;
        }
    }

    /// <summary>
    /// True while the agent's <c>min_interval_seconds</c> since its last post has not passed: it could not post
    /// anyway, so activating it would only churn (the notifications stay unread and are answered afterwards).
    /// </summary>
    private async Task<bool> WaitsForMinIntervalAsync(AgentDefinition definition, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(definition.Behavior.Limits.MinIntervalSeconds);
        if (_activity is null || interval <= TimeSpan.Zero)
        {
            return false;
        }

        var activity = await _activity.GetAsync(definition.Name, null, cancellationToken);
        if (activity.LastPublishedAt is { } last && _timeProvider.GetUtcNow() - last < interval)
        {
            LogWaitingForMinInterval(_logger, definition.Name, definition.Behavior.Limits.MinIntervalSeconds);
            return true;
        }

        return false;
    }

    private async Task<bool> IsOverBudgetAsync(string agent, CancellationToken cancellationToken)
    {
        try
        {
            var budget = await _hub.GetBudgetHealthAsync(agent, cancellationToken);
            if (!budget.Healthy)
            {
                LogAgentOverBudget(_logger, agent);
                return true;
            }
        }
        catch (HubException ex)
        {
            LogBudgetUnknown(_logger, agent, ex.Message);
        }

        return false;
    }

    private async Task<bool> WaitForLeadershipAsync(CancellationToken stoppingToken)
    {
        while (!IsLeader)
        {
            try
            {
                await _leadership.Task.WaitAsync(_options.LeaderLease / 4, _timeProvider, stoppingToken);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                return false;
            }
        }

        return true;
    }

    private async Task EveryAsync(TimeSpan interval, Func<CancellationToken, Task> action, bool leaderOnly, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, _timeProvider);
        do
        {
            if (leaderOnly && !IsLeader)
            {
                continue;
            }

            try
            {
                await action(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WorkQueueUnavailableException or TimeoutException)
            {
                LogBackgroundError(_logger, action.Method.Name, ex.Message);
            }
        }
        while (await timer.NextTickOrStopAsync(stoppingToken));
    }

    [LoggerMessage(EventName = "coordinator_starting", Level = LogLevel.Information, Message = "Coordinator {InstanceId} starting")]
    private static partial void LogStarting(ILogger logger, string instanceId);

    [LoggerMessage(EventName = "config_cache_prewarmed", Level = LogLevel.Information, Message = "Loaded {Count} agent definition(s)")]
    private static partial void LogPrewarmed(ILogger logger, int count);

    [LoggerMessage(EventName = "config_cache_prewarm_failed", Level = LogLevel.Warning, Message = "Could not load agent definitions at start: {Error}")]
    private static partial void LogPrewarmFailed(ILogger logger, string error);

    [LoggerMessage(EventName = "became_leader", Level = LogLevel.Information, Message = "Coordinator {InstanceId} became leader (is_leader:true, epoch {Epoch})")]
    private static partial void LogBecameLeader(ILogger logger, string instanceId, long epoch);

    [LoggerMessage(EventName = "lost_leadership", Level = LogLevel.Warning, Message = "Coordinator {InstanceId} is no longer leader")]
    private static partial void LogLostLeadership(ILogger logger, string instanceId);

    [LoggerMessage(EventName = "released_leadership", Level = LogLevel.Information, Message = "Coordinator {InstanceId} released leadership (epoch {Epoch})")]
    private static partial void LogReleasedLeadership(ILogger logger, string instanceId, long epoch);

    [LoggerMessage(EventName = "leader_election_error", Level = LogLevel.Warning, Message = "Leader election failed: {Error}")]
    private static partial void LogLeaderError(ILogger logger, string error);

    [LoggerMessage(EventName = "poll_timeout", Level = LogLevel.Debug, Message = "Long-poll ended with no work (expected)")]
    private static partial void LogPollTimeout(ILogger logger);

    [LoggerMessage(EventName = "long_poll_not_available_falling_back", Level = LogLevel.Warning, Message = "The Hub has no long-poll; listing every {PollIntervalSeconds} s instead")]
    private static partial void LogLongPollNotAvailable(ILogger logger, double pollIntervalSeconds);

    [LoggerMessage(EventName = "poll_error", Level = LogLevel.Error, Message = "Polling the Hub failed: {Error}; retrying in {DelaySeconds} s")]
    private static partial void LogPollError(ILogger logger, string error, double delaySeconds);

    [LoggerMessage(EventName = "staleness_scan_error", Level = LogLevel.Error, Message = "Staleness scan failed: {Error}")]
    private static partial void LogStalenessError(ILogger logger, string error);

    [LoggerMessage(EventName = "work_enqueued", Level = LogLevel.Debug, Message = "Enqueued {TaskType} work for agent {AgentId} ({Priority})")]
    private static partial void LogWorkEnqueued(ILogger logger, string agentId, string taskType, string priority);

    [LoggerMessage(EventName = "duplicate_work_skipped", Level = LogLevel.Debug, Message = "Agent {AgentId} already has work: {Outcome}")]
    private static partial void LogDuplicateWorkSkipped(ILogger logger, string agentId, string outcome);

    [LoggerMessage(EventName = "inbox_already_running", Level = LogLevel.Debug, Message = "Agent {AgentId}: its running INBOX activation started after its {Count} unread notification(s) arrived; no follow-up")]
    private static partial void LogAlreadyBeingAnswered(ILogger logger, string agentId, int count);

    [LoggerMessage(EventName = "agent_in_backoff", Level = LogLevel.Debug, Message = "Agent {AgentId} is in circuit-breaker backoff; not enqueued")]
    private static partial void LogAgentInBackoff(ILogger logger, string agentId);

    [LoggerMessage(EventName = "min_interval_wait", Level = LogLevel.Debug, Message = "Agent {AgentId} posted less than min_interval_seconds ({MinIntervalSeconds}) ago; its inbox waits")]
    private static partial void LogWaitingForMinInterval(ILogger logger, string agentId, int minIntervalSeconds);

    [LoggerMessage(EventName = "agent_over_budget", Level = LogLevel.Information, Message = "Agent {AgentId} is over budget; not enqueued")]
    private static partial void LogAgentOverBudget(ILogger logger, string agentId);

    [LoggerMessage(EventName = "budget_unknown", Level = LogLevel.Warning, Message = "Budget of agent {AgentId} could not be checked: {Error}")]
    private static partial void LogBudgetUnknown(ILogger logger, string agentId, string error);

    [LoggerMessage(EventName = "stale_epoch", Level = LogLevel.Warning, Message = "Coordinator {InstanceId}: enqueue refused, epoch {Epoch} is no longer current; stepping down")]
    private static partial void LogStaleEpoch(ILogger logger, string instanceId, long epoch);

    [LoggerMessage(EventName = "leases_reaped", Level = LogLevel.Warning, Message = "Requeued or dead-lettered {Count} item(s) whose lease expired")]
    private static partial void LogReaped(ILogger logger, int count);

    [LoggerMessage(EventName = "unknown_agent", Level = LogLevel.Warning, Message = "The Hub lists agent {AgentId} but it has no definition: {Error}")]
    private static partial void LogUnknownAgent(ILogger logger, string agentId, string error);

    [LoggerMessage(EventName = "coordinator_background_error", Level = LogLevel.Warning, Message = "{Task} failed: {Error}")]
    private static partial void LogBackgroundError(ILogger logger, string task, string error);
}
