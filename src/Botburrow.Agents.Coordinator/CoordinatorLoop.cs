using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Coordinator;

/// <summary>
/// One of the coordinator's long-running loops. A round of work that throws is logged with its exception and the
/// loop carries on (each loop decides its pause); an exception the loop cannot survive (a fatal one, or one from
/// the loop itself) is logged as Critical, marks the coordinator not ready, sets a non-zero exit code and stops the
/// application, so the supervisor restarts the process instead of keeping one that no longer works.
/// </summary>
internal abstract partial class CoordinatorLoop : BackgroundService
{
    /// <summary>The process exit code after a loop died.</summary>
    public const int LoopFailedExitCode = 1;

    private readonly IHostApplicationLifetime _lifetime;
    private Task? _watched;
    private CancellationTokenRegistration _started;

    protected CoordinatorLoop(string name, CoordinatorStatus status, IHostApplicationLifetime lifetime, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(status);
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(logger);
        Name = name;
        Status = status;
        _lifetime = lifetime;
        Logger = logger;
    }

    /// <summary>The loop's name in logs: <c>leadership</c>, <c>hub_watch</c>, <c>staleness_scan</c>, <c>reaper</c>, <c>queue_stats</c>.</summary>
    public string Name { get; }

    protected CoordinatorStatus Status { get; }

    protected ILogger Logger { get; }

    /// <summary>
    /// Exceptions no retry can cure: the process is out of memory, its code is broken, or a dependency it holds
    /// was disposed while the service still runs.
    /// </summary>
    public static bool IsFatal(Exception exception)
        => exception is OutOfMemoryException or InsufficientExecutionStackException or InvalidProgramException or BadImageFormatException
            or TypeLoadException or MissingMemberException or ObjectDisposedException;

    /// <summary>Exponential pause after <paramref name="failures"/> consecutive failures: 2, 4, 8, 16, 30, 30 … seconds.</summary>
    public static TimeSpan Backoff(int failures)
        => TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Clamp(failures, 1, 5))));

    /// <summary>
    /// The loop's task as the host watches it. The loop itself never ends faulted or cancelled (it stops the
    /// application instead); the base class's task is cancelled only when the service is disposed before its loop
    /// got to run (another service failed to start, e.g. a port in use), which is an orderly end, not a failure the
    /// host should report as critical.
    /// </summary>
    /// <summary>
    /// Starts the loop once the application has started (every hosted service, the HTTP server included): a
    /// process that fails to start (a port in use) never takes the leader lease or polls, and its failure is the
    /// one line its verb prints.
    /// </summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        _started = _lifetime.ApplicationStarted.Register(() => base.StartAsync(CancellationToken.None));
        return Task.CompletedTask;
    }

    public override void Dispose()
    {
        _started.Dispose();
        base.Dispose();
    }

    public override Task? ExecuteTask => base.ExecuteTask is { } task ? _watched ??= EndQuietlyIfNeverRun(task) : null;

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await RunAsync(stoppingToken);
            if (!stoppingToken.IsCancellationRequested)
            {
                throw new InvalidOperationException($"The {Name} loop returned while the service was running.");
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping anyway (e.g. a dependency disposed after the shutdown timeout): not a reason to fail the exit.
            LogLoopFailedWhileStopping(Logger, Name, ex);
        }
        catch (Exception ex)
        {
            LogLoopDied(Logger, Name, ex);
            Status.LoopFailed(Name);
            Environment.ExitCode = LoopFailedExitCode;
            _lifetime.StopApplication();
        }
    }

    private static Task EndQuietlyIfNeverRun(Task task)
        => task.ContinueWith(static t => t.IsCanceled ? Task.CompletedTask : t, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();

    /// <summary>The loop; returns (or throws <see cref="OperationCanceledException"/>) only when <paramref name="stoppingToken"/> fires.</summary>
    protected abstract Task RunAsync(CancellationToken stoppingToken);

    /// <summary>
    /// True when <paramref name="exception"/> from a round of work is survivable: not fatal, and not the
    /// cancellation of the service stopping. Use as an exception filter, then log it with the exception.
    /// </summary>
    protected static bool IsSurvivable(Exception exception, CancellationToken stoppingToken)
        => !IsFatal(exception) && !(exception is OperationCanceledException && stoppingToken.IsCancellationRequested);

    [LoggerMessage(EventName = "coordinator_loop_stop_error", Level = LogLevel.Debug, Message = "The coordinator's {Loop} loop failed while stopping")]
    private static partial void LogLoopFailedWhileStopping(ILogger logger, string loop, Exception exception);

    [LoggerMessage(EventName = "coordinator_loop_died", Level = LogLevel.Critical, Message = "The coordinator's {Loop} loop stopped on an error it cannot survive; stopping the process (exit code 1) so it is restarted")]
    private static partial void LogLoopDied(ILogger logger, string loop, Exception exception);
}
