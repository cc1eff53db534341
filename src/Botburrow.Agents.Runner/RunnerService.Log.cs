using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Runner;

// The runner's log events.
public sealed partial class RunnerService
{
    [LoggerMessage(EventName = "runner_started", Level = LogLevel.Information, Message = "Runner {RunnerId} started in {Mode} mode with {Slots} slot(s)")]
    private static partial void LogRunnerStarted(ILogger logger, string runnerId, string mode, int slots);

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

    [LoggerMessage(EventName = "activation_stop_requested", Level = LogLevel.Warning, Message = "Activation {ActivationId} of agent {AgentId}: stopped by an operator (its record was deleted); stopping, and the agent backs off")]
    private static partial void LogStopRequested(ILogger logger, string agentId, string activationId);

    [LoggerMessage(EventName = "runner_draining", Level = LogLevel.Information, Message = "Stopping: {Running} activation(s) may finish within {GraceSeconds} s, then the rest are handed back")]
    private static partial void LogDraining(ILogger logger, int running, double graceSeconds);

    [LoggerMessage(EventName = "claim_failed", Level = LogLevel.Error, Message = "Could not claim work: {Error}; retrying in {DelaySeconds:0.##} s")]
    private static partial void LogClaimFailed(ILogger logger, string error, double delaySeconds, Exception exception);

    [LoggerMessage(EventName = "claim", Level = LogLevel.Debug, Message = "claim attempt by runner {RunnerId} ({Mode}): {ActivationId} (agent {AgentId})")]
    private static partial void LogClaim(ILogger logger, string runnerId, string mode, string activationId, string agentId);

    [LoggerMessage(EventName = "heartbeat_failed", Level = LogLevel.Error, Message = "Heartbeat failed ({Failures} in a row): {Error}")]
    private static partial void LogHeartbeatFailed(ILogger logger, string error, int failures, Exception exception);

    [LoggerMessage(EventName = "lease_lost", Level = LogLevel.Warning, Message = "lease_lost activation={ActivationId} agent={AgentId} fencing_token={FencingToken}: {Reason}; stopping it, it posts nothing more")]
    private static partial void LogLeaseLost(ILogger logger, string agentId, string activationId, long fencingToken, string reason);

    [LoggerMessage(EventName = "runner_loop_died", Level = LogLevel.Critical, Message = "The runner's {Loop} loop stopped on an error it cannot survive; stopping the process (exit code 1) so it is restarted")]
    private static partial void LogLoopDied(ILogger logger, string loop, Exception exception);

    [LoggerMessage(EventName = "complete_retry", Level = LogLevel.Warning, Message = "Could not complete activation {ActivationId}: {Error}; retrying")]
    private static partial void LogCompleteRetry(ILogger logger, string activationId, string error, Exception exception);

    [LoggerMessage(EventName = "complete_lost", Level = LogLevel.Error, Message = "Could not complete activation {ActivationId}: {Error}; its lease will expire and the reaper will requeue it")]
    private static partial void LogCompleteLost(ILogger logger, string activationId, string error, Exception exception);
}
