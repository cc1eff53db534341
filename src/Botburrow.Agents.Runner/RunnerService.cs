using System.Collections.Concurrent;
using System.Diagnostics;
using Botburrow.Agents.Hosting;
using Botburrow.Agents.Runner.Activation;
using Botburrow.Agents.ServiceDefaults.Metrics;
using Botburrow.Agents.ServiceDefaults.Telemetry;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Runner;

/// <summary>
/// A runner: claims the work its mode allows into <c>MAX_CONCURRENT_ACTIVATIONS</c> slots, heartbeats its leases,
/// runs each activation under <c>ACTIVATION_TIMEOUT</c>, and completes it (feeding the breaker). Deleting an
/// activation's record stops it within one heartbeat. On shutdown it stops claiming at once, lets running
/// activations finish within <c>SHUTDOWN_GRACE_PERIOD</c>, and hands the rest back to the queue.
/// </summary>
public sealed partial class RunnerService : BackgroundService
{
    private static readonly string Version = typeof(RunnerService).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private readonly IWorkQueue _queue;
    private readonly ActivationPipeline _pipeline;
    private readonly RunnerOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<RunnerService> _logger;
    private readonly ConcurrentDictionary<string, RunningActivation> _running = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, byte> _tasks = new();
    private readonly SemaphoreSlim _slots;
    private readonly DateTimeOffset _startedAt;

    private readonly ExecutorSelector? _executors;

    public RunnerService(IWorkQueue queue, ActivationPipeline pipeline, RunnerOptions options, TimeProvider timeProvider, ILogger<RunnerService> logger, ExecutorSelector? executors = null)
    {
        _executors = executors;
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxConcurrentActivations, 1);
        _queue = queue;
        _pipeline = pipeline;
        _options = options;
        _timeProvider = timeProvider;
        _logger = logger;
        _slots = new SemaphoreSlim(options.MaxConcurrentActivations, options.MaxConcurrentActivations);
        _startedAt = timeProvider.GetUtcNow();
    }

    /// <summary>Activations running now, by id.</summary>
    public IReadOnlyCollection<ClaimedWork> Running => _running.Values.Select(r => r.Work).ToList();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        FleetMetrics.RunnerInfo.WithLabels(_options.RunnerId, ModeName, Version).Set(1);
        LogRunnerStarted(_logger, _options.RunnerId, ModeName, _options.MaxConcurrentActivations);
        ReportExecutors();
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatLoopAsync(heartbeatStop.Token);

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _slots.WaitAsync(stoppingToken);
                var work = await _queue.TryClaimAsync(_options.RunnerId, _options.Mode, stoppingToken);
                failures = 0;
                if (work is null)
                {
                    _slots.Release();
                    await _queue.WaitForWorkAsync(_options.Mode, _options.IdlePoll, stoppingToken);
                    continue;
                }

                Track(RunActivationAsync(work));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is WorkQueueUnavailableException or TimeoutException)
            {
                _slots.Release();
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures, 7))));
                LogClaimFailed(_logger, ex.Message, delay.TotalSeconds);
                try
                {
                    await Task.Delay(delay, _timeProvider, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        await DrainAsync();
        await heartbeatStop.CancelAsync();
        await heartbeat;
        LogRunnerStopped(_logger, _options.RunnerId);
    }

    private async Task DrainAsync()
    {
        var pending = _tasks.Keys.ToArray();
        if (pending.Length == 0)
        {
            return;
        }

        LogDraining(_logger, pending.Length, _options.ShutdownGracePeriod.TotalSeconds);
        var all = Task.WhenAll(pending);
        if (await Task.WhenAny(all, Task.Delay(_options.ShutdownGracePeriod, _timeProvider)) != all)
        {
            foreach (var running in _running.Values)
            {
                running.Stop(StopReason.HandBack);
            }
        }

        await Task.WhenAll(_tasks.Keys.ToArray());
    }

    private void Track(Task task)
    {
        _tasks[task] = 0;
        _ = task.ContinueWith(t => _tasks.TryRemove(t, out _), TaskScheduler.Default);
    }

    private async Task RunActivationAsync(ClaimedWork work)
    {
        await Task.Yield();
        using var running = new RunningActivation(work, _options.ActivationTimeout, _timeProvider);
        _running[work.ActivationId] = running;
        var item = work.Item;
        var taskType = item.TaskType.ToString().ToLowerInvariant();
        var inProgress = FleetMetrics.ActivationsInProgress.WithLabels(_options.RunnerId);
        inProgress.Inc();
        var started = Stopwatch.GetTimestamp();
        using var scope = _logger.BeginScope(new Dictionary<string, object?>
        {
            ["agent_id"] = item.AgentId,
            ["activation_id"] = work.ActivationId,
            ["runner_id"] = _options.RunnerId,
        });
        var priority = item.Priority.ToString().ToLowerInvariant();
        LogActivationStarting(_logger, item.AgentId, work.ActivationId, taskType, priority, item.Attempt);
        _ = ActivityContext.TryParse(item.TraceParent, null, out var parent);
        using var span = BotburrowActivitySources.Runner.StartActivity(ActivityKind.Consumer, parent, name: "invoke_agent " + item.AgentId);
        span?.SetTag("gen_ai.operation.name", "invoke_agent");
        span?.SetTag("gen_ai.agent.name", item.AgentId);
        span?.SetTag("botburrow.activation_id", work.ActivationId);
        span?.SetTag("botburrow.task_type", taskType);
        span?.SetTag("botburrow.attempt", item.Attempt);

        var outcome = WorkOutcome.Failed;
        string? error = null;
        ActivationReport? report = null;
        try
        {
            report = await _pipeline.RunAsync(work, UnfencedLease.For(work), running.Token);
            outcome = report.Outcome;
            error = report.Error;
        }
        catch (OperationCanceledException) when (running.Token.IsCancellationRequested)
        {
            (outcome, error) = running.Reason switch
            {
                StopReason.StoppedByOperator => (WorkOutcome.Cancelled, "stopped: its activation record was deleted"),
                StopReason.HandBack => (WorkOutcome.Cancelled, "handed back at shutdown"),
                _ => (WorkOutcome.Failed, $"timed out after {_options.ActivationTimeout.TotalSeconds:0.###} s (ACTIVATION_TIMEOUT)"),
            };
        }
        catch (Exception ex)
        {
            error = ex.Message;
            if (ex is Execution.ActivationFailedException)
            {
                LogExecutorError(_logger, item.AgentId, ex.Message);
            }
        }
        finally
        {
            _running.TryRemove(work.ActivationId, out _);
            inProgress.Dec();
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var handBack = running.Reason == StopReason.HandBack;
        var status = handBack ? ActivationStatus.HandedBack : ActivationStatus.Of(outcome);
        span?.SetTag("botburrow.outcome", status);
        if (outcome is WorkOutcome.Failed)
        {
            span?.SetStatus(ActivityStatusCode.Error, error);
        }

        FleetMetrics.ActivationsTotal.WithLabels(taskType, status).Inc();
        FleetMetrics.ActivationDuration.WithLabels(taskType).Observe(elapsed.TotalSeconds);
        if (report is not null && report.Model is { } model)
        {
            FleetMetrics.TokensConsumed.WithLabels(model, "input").Inc(report.InputTokens);
            FleetMetrics.TokensConsumed.WithLabels(model, "output").Inc(report.OutputTokens);
            if (report.CostUsd is { } cost)
            {
                FleetMetrics.ActivationCost.WithLabels(model).Inc((double)cost);
            }
        }

        if (handBack)
        {
            LogHandedBack(_logger, item.AgentId, work.ActivationId);
        }
        else if (outcome is WorkOutcome.Succeeded)
        {
            LogActivationCompleted(_logger, item.AgentId, work.ActivationId, taskType, elapsed.TotalSeconds, report?.Replies ?? 0, report?.Skipped ?? 0);
        }
        else if (outcome is WorkOutcome.Cancelled)
        {
            LogActivationCancelled(_logger, item.AgentId, work.ActivationId, error ?? "cancelled");
        }
        else
        {
            LogActivationFailed(_logger, item.AgentId, work.ActivationId, status, error ?? "unknown error", elapsed.TotalSeconds);
        }

        // Logged and counted first: completing may enqueue the agent's follow-up, which another slot can claim at once.
        await FinishAsync(work, handBack, outcome, error);
        _slots.Release();
    }

    private async Task FinishAsync(ClaimedWork work, bool handBack, WorkOutcome outcome, string? error)
    {
        // At-least-once: until this call lands, the lease is what protects the item. If the queue is down, keep
        // trying briefly; when it never answers, the lease expires and the reaper requeues the item.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (handBack)
                {
                    await _queue.HandBackAsync(work);
                }
                else
                {
                    await _queue.CompleteAsync(work, outcome, error);
                }

                return;
            }
            catch (Exception ex) when (ex is WorkQueueUnavailableException or TimeoutException && attempt < 5)
            {
                LogCompleteRetry(_logger, work.ActivationId, ex.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), _timeProvider);
            }
            catch (Exception ex) when (ex is WorkQueueUnavailableException or TimeoutException)
            {
                LogCompleteLost(_logger, work.ActivationId, ex.Message);
                return;
            }
        }
    }

    private async Task HeartbeatLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, _timeProvider);
        do
        {
            try
            {
                var heartbeat = new RunnerHeartbeat
                {
                    RunnerId = _options.RunnerId,
                    Mode = _options.Mode,
                    Concurrency = _options.MaxConcurrentActivations,
                    InFlight = _running.Count,
                    StartedAt = _startedAt,
                };
                var cancelled = await _queue.HeartbeatAsync(heartbeat, _running.Keys.ToList(), cancellationToken);
                FleetMetrics.RunnerHeartbeat.WithLabels(_options.RunnerId).Set(_timeProvider.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0);
                foreach (var id in cancelled)
                {
                    if (_running.TryGetValue(id, out var running))
                    {
                        LogStopRequested(_logger, running.Work.Item.AgentId, id);
                        running.Stop(StopReason.StoppedByOperator);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WorkQueueUnavailableException or TimeoutException)
            {
                LogHeartbeatFailed(_logger, ex.Message);
            }
        }
        while (await timer.NextTickOrStopAsync(cancellationToken));
    }

    private string ModeName => _options.Mode.ToString().ToLowerInvariant();

    [LoggerMessage(EventName = "runner_started", Level = LogLevel.Information, Message = "Runner {RunnerId} started in {Mode} mode with {Slots} slot(s)")]
    private static partial void LogRunnerStarted(ILogger logger, string runnerId, string mode, int slots);

    /// <summary>Which CLI executors can run here (reported, not fatal: agents of a missing type fail with the same line).</summary>
    private void ReportExecutors()
    {
        foreach (var executor in _executors?.CliExecutors ?? [])
        {
            if (executor.Locate() is { } path)
            {
                LogExecutorAvailable(_logger, executor.Tool.TypeName, path);
            }
            else
            {
                LogExecutorNotAvailable(_logger, executor.Tool.TypeName, executor.Tool.Program);
            }
        }
    }

    [LoggerMessage(EventName = "executor_available", Level = LogLevel.Information, Message = "Executor '{Executor}' available: {Path}")]
    private static partial void LogExecutorAvailable(ILogger logger, string executor, string path);

    [LoggerMessage(EventName = "executor_not_available", Level = LogLevel.Warning, Message = "Executor '{Executor}' not available: '{Program}' not found on PATH; agents of that type fail until it is installed")]
    private static partial void LogExecutorNotAvailable(ILogger logger, string executor, string program);

    [LoggerMessage(EventName = "runner_stopped", Level = LogLevel.Information, Message = "Runner {RunnerId} stopped")]
    private static partial void LogRunnerStopped(ILogger logger, string runnerId);

    [LoggerMessage(EventName = "activation_starting", Level = LogLevel.Information, Message = "Starting {TaskType} activation {ActivationId} of agent {AgentId} ({Priority}, attempt {Attempt})")]
    private static partial void LogActivationStarting(ILogger logger, string agentId, string activationId, string taskType, string priority, int attempt);

    [LoggerMessage(EventName = "activation_completed", Level = LogLevel.Information, Message = "Activation {ActivationId} of agent {AgentId} ({TaskType}) completed in {ActivationDuration:0.###} s: {Replies} posted, {Skipped} skipped")]
    private static partial void LogActivationCompleted(ILogger logger, string agentId, string activationId, string taskType, double activationDuration, int replies, int skipped);

    [LoggerMessage(EventName = "activation_failed", Level = LogLevel.Error, Message = "Activation {ActivationId} of agent {AgentId} ended {Outcome}: {Error} (after {ActivationDuration:0.###} s)")]
    private static partial void LogActivationFailed(ILogger logger, string agentId, string activationId, string outcome, string error, double activationDuration);

    [LoggerMessage(EventName = "activation_cancelled", Level = LogLevel.Warning, Message = "Activation {ActivationId} of agent {AgentId} cancelled: {Reason}")]
    private static partial void LogActivationCancelled(ILogger logger, string agentId, string activationId, string reason);

    [LoggerMessage(EventName = "executor_error", Level = LogLevel.Error, Message = "Agent {AgentId}: {Error}")]
    private static partial void LogExecutorError(ILogger logger, string agentId, string error);

    [LoggerMessage(EventName = "activation_handed_back", Level = LogLevel.Warning, Message = "Activation {ActivationId} of agent {AgentId} handed back to the queue at shutdown")]
    private static partial void LogHandedBack(ILogger logger, string agentId, string activationId);

    [LoggerMessage(EventName = "activation_stop_requested", Level = LogLevel.Warning, Message = "Activation {ActivationId} of agent {AgentId}: its record was deleted; stopping")]
    private static partial void LogStopRequested(ILogger logger, string agentId, string activationId);

    [LoggerMessage(EventName = "runner_draining", Level = LogLevel.Information, Message = "Stopping: {Running} activation(s) may finish within {GraceSeconds} s, then the rest are handed back")]
    private static partial void LogDraining(ILogger logger, int running, double graceSeconds);

    [LoggerMessage(EventName = "claim_failed", Level = LogLevel.Warning, Message = "Could not claim work: {Error}; retrying in {DelaySeconds:0.##} s")]
    private static partial void LogClaimFailed(ILogger logger, string error, double delaySeconds);

    [LoggerMessage(EventName = "heartbeat_failed", Level = LogLevel.Warning, Message = "Heartbeat failed: {Error}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string error);

    [LoggerMessage(EventName = "complete_retry", Level = LogLevel.Warning, Message = "Could not complete activation {ActivationId}: {Error}; retrying")]
    private static partial void LogCompleteRetry(ILogger logger, string activationId, string error);

    [LoggerMessage(EventName = "complete_lost", Level = LogLevel.Error, Message = "Could not complete activation {ActivationId}: {Error}; its lease will expire and the reaper will requeue it")]
    private static partial void LogCompleteLost(ILogger logger, string activationId, string error);
}
