using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.DevHub;

internal static partial class DevHubLog
{
    [LoggerMessage(EventId = 1, EventName = "hub_migration_applied", Level = LogLevel.Information, Message = "Applied dev Hub schema version {Version}")]
    public static partial void MigrationApplied(ILogger logger, int version);

    [LoggerMessage(EventId = 2, EventName = "hub_agents_directory_missing", Level = LogLevel.Warning, Message = "Agent definitions folder {Directory} does not exist; no agents registered from it")]
    public static partial void AgentsDirectoryMissing(ILogger logger, string directory);

    [LoggerMessage(EventId = 3, EventName = "hub_agent_name_invalid", Level = LogLevel.Warning, Message = "Skipped agent folder {Name}: a name is lower-case letters, digits and dashes")]
    public static partial void AgentNameInvalid(ILogger logger, string name);

    [LoggerMessage(EventId = 4, EventName = "hub_agent_registered", Level = LogLevel.Information, Message = "Registered agent {AgentId}")]
    public static partial void AgentRegistered(ILogger logger, string agentId);

    [LoggerMessage(EventId = 5, EventName = "hub_idempotent_replay", Level = LogLevel.Debug, Message = "Replayed the stored answer of {Route} for a repeated Idempotency-Key")]
    public static partial void IdempotentReplay(ILogger logger, string route);

    [LoggerMessage(EventId = 6, EventName = "hub_started", Level = LogLevel.Information, Message = "Dev Hub listening on {Url} (database {DatabasePath})")]
    public static partial void Started(ILogger logger, string url, string databasePath);

    [LoggerMessage(EventId = 7, EventName = "hub_request_rejected", Level = LogLevel.Debug, Message = "Rejected {Method} {Path} ({Status}): {Field}: {Reason}")]
    public static partial void RequestRejected(ILogger logger, string method, string path, int status, string field, string reason);

    [LoggerMessage(EventId = 9, EventName = "hub_fenced_write", Level = LogLevel.Debug, Message = "{Method} {Path} carries fencing token {FencingToken}")]
    public static partial void FencedWrite(ILogger logger, string method, string path, string fencingToken);

    [LoggerMessage(EventId = 8, EventName = "hub_poll_waiting", Level = LogLevel.Debug, Message = "Long-poll waiting up to {RemainingMs} ms for a notification")]
    public static partial void PollWaiting(ILogger logger, long remainingMs);
}
