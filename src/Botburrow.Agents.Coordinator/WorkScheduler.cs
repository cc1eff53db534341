using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Hub;
using Botburrow.Agents.ServiceDefaults.Metrics;
using Botburrow.Agents.ServiceDefaults.Telemetry;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Coordinator;

/// <summary>
/// Turns what the Hub reports into work items: skips agents without a definition, over budget or inside their
/// <c>min_interval_seconds</c>, and enqueues with the leader's epoch, so a deposed leader's writes are refused
/// (a refusal ends this instance's term at once). An agent's budget health is asked once per
/// <see cref="CoordinatorOptions.BudgetHealthTtl"/> at most (the runner checks it again when it claims the work).
/// </summary>
internal sealed partial class WorkScheduler
{
    private readonly IWorkQueue _queue;
    private readonly IHubClient _hub;
    private readonly IAgentActivityStore _activity;
    private readonly DefinitionLookup _definitions;
    private readonly LeadershipState _leadership;
    private readonly CoordinatorOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<WorkScheduler> _logger;
    private readonly ConcurrentDictionary<string, (bool Healthy, DateTimeOffset Until)> _budgets = new(StringComparer.Ordinal);
    private long _nextBudgetSweepTicks;

    public WorkScheduler(IWorkQueue queue, IHubClient hub, IAgentActivityStore activity, DefinitionLookup definitions, LeadershipState leadership, CoordinatorOptions options, TimeProvider timeProvider, ILogger<WorkScheduler> logger)
    {
        _queue = queue;
        _hub = hub;
        _activity = activity;
        _definitions = definitions;
        _leadership = leadership;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>Enqueues INBOX work for <paramref name="agent"/> if it has unread notifications and may run; null when nothing was offered.</summary>
    public async Task<EnqueueOutcome?> ScheduleInboxAsync(HubAgent agent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var definition = await _definitions.FindAsync(agent.Name, cancellationToken);
        if (definition is null || await IsOverBudgetAsync(agent.Name, cancellationToken) || await WaitsForMinIntervalAsync(definition, cancellationToken))
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

    /// <summary>Enqueues DISCOVERY work for a stale agent unless it is over budget.</summary>
    public async Task<EnqueueOutcome?> ScheduleDiscoveryAsync(AgentDefinition definition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (await IsOverBudgetAsync(definition.Name, cancellationToken))
        {
            return null;
        }

        return await EnqueueAsync(
            new WorkItem
            {
                AgentId = definition.Name,
                AgentName = definition.DisplayName ?? definition.Name,
                TaskType = TaskType.Discovery,
                Priority = WorkPriority.Low,
                CreatedAt = _timeProvider.GetUtcNow(),
            },
            cancellationToken);
    }

    private async Task<EnqueueOutcome?> EnqueueAsync(WorkItem item, CancellationToken cancellationToken)
    {
        if (_leadership.Lease is not { } lease)
        {
            return null;
        }

        var outcome = await _queue.EnqueueAsync(item, lease.Epoch, cancellationToken);
        var priority = item.Priority.ToString().ToLowerInvariant();
        var taskType = item.TaskType.ToString().ToLowerInvariant();
        var outcomeName = JsonNamingPolicy.SnakeCaseLower.ConvertName(outcome.ToString());
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
                if (_leadership.Lose(lease))
                {
                    FleetMetrics.CoordinatorIsLeader.WithLabels(_options.InstanceId).Set(0);
                }

                break;
            default:
                LogDuplicateWorkSkipped(_logger, item.AgentId, outcomeName);
                break;
        }

        return outcome;
    }

    /// <summary>
    /// True while the agent's <c>min_interval_seconds</c> since its last post has not passed: it could not post
    /// anyway, so activating it would only churn (the notifications stay unread and are answered afterwards).
    /// </summary>
    private async Task<bool> WaitsForMinIntervalAsync(AgentDefinition definition, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(definition.Behavior.Limits.MinIntervalSeconds);
        if (interval <= TimeSpan.Zero)
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
        var now = _timeProvider.GetUtcNow();
        if (!_budgets.TryGetValue(agent, out var budget) || budget.Until <= now)
        {
            try
            {
                var health = await _hub.GetBudgetHealthAsync(agent, cancellationToken);
                budget = (health.Healthy, now + _options.BudgetHealthTtl);
                ForgetExpiredBudgets(now);
                _budgets[agent] = budget;
            }
            catch (HubException ex)
            {
                // Not cached: the next look asks the Hub again.
                LogBudgetUnknown(_logger, agent, ex);
                return false;
            }
        }

        if (!budget.Healthy)
        {
            LogAgentOverBudget(_logger, agent);
            return true;
        }

        return false;
    }

    /// <summary>At most once per TTL, drops expired answers: the cache holds about the agents seen within two TTLs.</summary>
    private void ForgetExpiredBudgets(DateTimeOffset now)
    {
        // The HubWatch and staleness loops both check budgets; a sweep now and then by either is enough.
        if (now.UtcTicks < Volatile.Read(ref _nextBudgetSweepTicks))
        {
            return;
        }

        Volatile.Write(ref _nextBudgetSweepTicks, (now + _options.BudgetHealthTtl).UtcTicks);
        foreach (var (agent, budget) in _budgets)
        {
            if (budget.Until <= now)
            {
                _budgets.TryRemove(agent, out _);
            }
        }
    }

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

    [LoggerMessage(EventName = "budget_unknown", Level = LogLevel.Warning, Message = "Budget of agent {AgentId} could not be checked; enqueuing anyway")]
    private static partial void LogBudgetUnknown(ILogger logger, string agentId, Exception exception);

    [LoggerMessage(EventName = "stale_epoch", Level = LogLevel.Warning, Message = "Coordinator {InstanceId}: enqueue refused, epoch {Epoch} is no longer current; stepping down")]
    private static partial void LogStaleEpoch(ILogger logger, string instanceId, long epoch);
}
