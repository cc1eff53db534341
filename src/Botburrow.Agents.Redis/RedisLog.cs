using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Redis;

/// <summary>Log events of the Redis connection.</summary>
internal static partial class RedisLog
{
    [LoggerMessage(EventId = 4101, EventName = "redis_connection_lost", Level = LogLevel.Warning,
        Message = "redis_connection_lost url={Url} failure={FailureType}: {Cause}")]
    public static partial void ConnectionLost(ILogger logger, string url, string failureType, string cause, Exception? exception);
}
