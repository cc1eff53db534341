using System.Collections.Concurrent;
using System.Diagnostics;
using Botburrow.Agents.Runner.Activation;
using Botburrow.Agents.ServiceDefaults.Metrics;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Runner;

/// <summary>
/// A runner: claims the work its mode allows into <c>MAX_CONCURRENT_ACTIVATIONS</c> slots, heartbeats its leases,
/// runs each activation under <c>ACTIVATION_TIMEOUT</c> and its <see cref="HeldLease"/>, and completes it (feeding
/// the breaker; the completion is fenced by the claim's token). Deleting an activation's record stops it within one
/// heartbeat and backs the agent off; a lease that lapses or is taken over stops the activation at once
/// (<c>lease_lost</c>) and it posts nothing more. On shutdown it stops claiming at once, lets running activations
/// finish within <c>SHUTDOWN_GRACE_PERIOD</c>, and hands the rest back to the queue. The claim and heartbeat loops
/// survive any error of a round (logged with its exception, then a backoff); an error they cannot survive is logged
/// as Critical and stops the process with exit code 1.
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
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ExecutorSelector? _executors;
    private long _leasesLost;

    /// <summary>The process exit code after a loop of the runner died.</summary>
    public const int LoopFailedExitCode = 1;

    public RunnerService(IWorkQueue queue, ActivationPipeline pipeline, RunnerOptions options, TimeProvider timeProvider, IHostApplicationLifetime lifetime, ILogger<RunnerService> logger, ExecutorSelector? executors = null)
    {
        _executors = executors;
        _lifetime = lifetime;
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

    /// <summary>Activations this runner stopped because their lease was lost (also in its heartbeat, <c>leases_lost</c>).</summary>
    public long LeasesLost => Interlocked.Read(ref _leasesLost);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunLoopsAsync(stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogLoopDied(_logger, "claim", ex);
            Environment.ExitCode = LoopFailedExitCode;
            _lifetime.StopApplication();
        }
    }

    /// <summary>Exceptions no retry can cure (out of memory, broken code, a disposed dependency).</summary>
    private static bool IsFatal(Exception exception)
        => exception is OutOfMemoryException or InsufficientExecutionStackException or InvalidProgramException or BadImageFormatException
            or TypeLoadException or MissingMemberException or ObjectDisposedException;

    private async Task RunLoopsAsync(CancellationToken stoppingToken)
    {
        FleetMetrics.RunnerInfo.WithLabels(_options.RunnerId, ModeName, Version).Set(1);
        LogRunnerStarted(_logger, _options.RunnerId, ModeName, _options.MaxConcurrentActivations);
        ReportExecutors();
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatLoopAsync(heartbeatStop.Token);
        _ = heartbeat.ContinueWith(
            t =>
            {
                var error = t.Exception!.GetBaseException();
                LogLoopDied(_logger, "heartbeat", error);
                Environment.ExitCode = LoopFailedExitCode;
                _lifetime.StopApplication();
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);

        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var holdsSlot = false;
            try
            {
                await _slots.WaitAsync(stoppingToken);
                holdsSlot = true;
                var claimStartedAt = _timeProvider.GetTimestamp();
                var work = await _queue.TryClaimAsync(_options.RunnerId, _options.Mode, stoppingToken);
                failures = 0;
                LogClaim(_logger, _options.RunnerId, ModeName, work?.ActivationId ?? "nothing to claim", work?.Item.AgentId ?? "-");
                if (work is null)
                {
                    _slots.Release();
                    holdsSlot = false;
                    await _queue.WaitForWorkAsync(_options.Mode, _options.IdlePoll, stoppingToken);
                    continue;
                }

                holdsSlot = false;
                Track(RunActivationAsync(work, claimStartedAt));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (!IsFatal(ex))
            {
                if (holdsSlot)
                {
                    _slots.Release();
                }

                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(30_000, 250 * Math.Pow(2, Math.Min(failures, 7))));
                LogClaimFailed(_logger, ex.Message, delay.TotalSeconds, ex);
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
        if (!heartbeat.IsFaulted)
        {
            await heartbeat;
        }
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

    private async Task RunActivationAsync(ClaimedWork work, long claimStartedAt)
    {
        await Task.Yield();
        using var running = new RunningActivation(work, _options.ActivationTimeout, _timeProvider);
        using var lease = new HeldLease(work, _queue, _options.LeaseDuration, _options.LeaseSafetyMargin, claimStartedAt, _timeProvider, (_, state, reason) => OnLeaseLost(running, state, reason));
        running.Lease = lease;
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
        using var span = RunnerTelemetry.StartInvokeAgent(work);

        var outcome = WorkOutcome.Failed;
        string? error = null;
        ActivationReport? report = null;
        try
        {
            // A runner woken from a pause checks before anything else.
            if (lease.CheckLocal() is { } lapsed)
            {
                throw new OperationCanceledException(lapsed, running.Token);
            }

            // Every Hub write of the activation carries its fencing token (X-Botburrow-Fencing-Token).
            using (Hub.HubFencing.Enter(lease.FencingToken))
            {
                report = await _pipeline.RunAsync(work, lease, running.Token);
            }

            outcome = report.Outcome;
            error = report.Error;
            if (lease.LostReason is not null)
            {
                // Lost while the pipeline was finishing: whatever it reports, this holder no longer completes it.
                throw new OperationCanceledException(lease.LostReason, running.Token);
            }
        }
        catch (OperationCanceledException) when (running.Token.IsCancellationRequested)
        {
            (outcome, error) = running.Reason switch
            {
                StopReason.StoppedByOperator => (WorkOutcome.StoppedByOperator, "stopped by an operator: its activation record was deleted"),
                StopReason.HandBack => (WorkOutcome.Cancelled, "handed back at shutdown"),
                StopReason.LeaseLost => (WorkOutcome.Cancelled, "lease lost: " + lease.LostReason),
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
        var leaseLost = running.Reason == StopReason.LeaseLost;

        // A lost lease is not completed (the completion would be refused anyway): it is handed back, which the work
        // store ignores unless the claim is still this runner's with this token.
        var handBack = running.Reason == StopReason.HandBack || leaseLost;
        var status = leaseLost ? ActivationStatus.LeaseLost : running.Reason == StopReason.HandBack ? ActivationStatus.HandedBack : ActivationStatus.Of(outcome);
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

        if (leaseLost)
        {
            // lease_lost itself was logged the moment it was lost.
        }
        else if (handBack)
        {
            LogHandedBack(_logger, item.AgentId, work.ActivationId);
        }
        else if (outcome is WorkOutcome.Succeeded)
        {
            LogActivationCompleted(_logger, item.AgentId, work.ActivationId, taskType, elapsed.TotalSeconds, report?.Replies ?? 0, report?.Skipped ?? 0);
        }
        else if (outcome is WorkOutcome.Cancelled or WorkOutcome.StoppedByOperator)
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
                LogCompleteRetry(_logger, work.ActivationId, ex.Message, ex);
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), _timeProvider);
            }
            catch (Exception ex) when (!IsFatal(ex))
            {
                LogCompleteLost(_logger, work.ActivationId, ex.Message, ex);
                return;
            }
        }
    }

    private string ModeName => _options.Mode.ToString().ToLowerInvariant();

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
}
