using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Work;

/// <summary>The log events of the work system (names as the troubleshooting guide uses them).</summary>
public static partial class WorkLog
{
    [LoggerMessage(EventId = 4001, EventName = "work_claimed", Level = LogLevel.Information,
        Message = "work_claimed activation={ActivationId} agent={AgentId} runner={RunnerId} priority={Priority} attempt={Attempt}")]
    public static partial void WorkClaimed(ILogger logger, string activationId, string agentId, string runnerId, WorkPriority priority, int attempt);

    [LoggerMessage(EventId = 4002, EventName = "agent_circuit_breaker", Level = LogLevel.Warning,
        Message = "agent_circuit_breaker agent={AgentId} failures={Failures} backoff_seconds={BackoffSeconds}")]
    public static partial void CircuitBreaker(ILogger logger, string agentId, long failures, double backoffSeconds);

    [LoggerMessage(EventId = 4003, EventName = "lease_expired", Level = LogLevel.Warning,
        Message = "lease_expired activation={ActivationId} agent={AgentId} next_attempt={Attempt}")]
    public static partial void LeaseExpired(ILogger logger, string activationId, string agentId, int attempt);

    [LoggerMessage(EventId = 4004, EventName = "work_dead_lettered", Level = LogLevel.Error,
        Message = "work_dead_lettered activation={ActivationId} agent={AgentId} attempts={Attempts} last_error={LastError}")]
    public static partial void DeadLettered(ILogger logger, string activationId, string agentId, int attempts, string? lastError);

    [LoggerMessage(EventId = 4005, EventName = "stale_epoch_refused", Level = LogLevel.Warning,
        Message = "stale_epoch_refused agent={AgentId} epoch={Epoch}")]
    public static partial void StaleEpoch(ILogger logger, string agentId, long epoch);

    [LoggerMessage(EventId = 4006, EventName = "redis_unavailable", Level = LogLevel.Warning,
        Message = "redis_unavailable url={Url} operation={Operation} attempt={Attempt} retry_in_ms={RetryInMs} error={Error}")]
    public static partial void RedisUnavailable(ILogger logger, string url, string operation, int attempt, long retryInMs, string error);

    [LoggerMessage(EventId = 4007, EventName = "redis_connected", Level = LogLevel.Information,
        Message = "redis_connected url={Url}")]
    public static partial void RedisConnected(ILogger logger, string url);

    [LoggerMessage(EventId = 4008, EventName = "activation_stopped", Level = LogLevel.Information,
        Message = "activation_stopped activation={ActivationId}")]
    public static partial void ActivationStopped(ILogger logger, string activationId);

    [LoggerMessage(EventId = 4009, EventName = "activation_stopped_backoff", Level = LogLevel.Warning,
        Message = "activation_stopped_backoff agent={AgentId} activation={ActivationId} backoff_seconds={BackoffSeconds}: stopped by an operator; the agent backs off (clear with botburrow backoff clear or DEL work:backoff)")]
    public static partial void StoppedBackoff(ILogger logger, string agentId, string activationId, double backoffSeconds);

    [LoggerMessage(EventId = 4010, EventName = "stale_completion_refused", Level = LogLevel.Warning,
        Message = "stale_completion_refused activation={ActivationId} agent={AgentId} runner={RunnerId} fencing_token={FencingToken}: the lease was no longer this runner's; the breaker is not fed")]
    public static partial void StaleCompletion(ILogger logger, string activationId, string agentId, string runnerId, long fencingToken);

    [LoggerMessage(EventId = 4011, EventName = "holder_disconnected", Level = LogLevel.Warning,
        Message = "holder_disconnected runner={RunnerId}: its Redis connection is gone; reclaiming its work now")]
    public static partial void HolderDisconnected(ILogger logger, string runnerId);

    [LoggerMessage(EventId = 4012, EventName = "client_list_unavailable", Level = LogLevel.Warning,
        Message = "client_list_unavailable: CLIENT LIST is refused or unsupported here; fast failure detection is off, leases alone detect dead holders")]
    public static partial void ClientListUnavailable(ILogger logger, Exception exception);
}
