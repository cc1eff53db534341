using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Hub;

internal static partial class HubClientLog
{
    [LoggerMessage(EventId = 1, EventName = "poll_timeout", Level = LogLevel.Debug, Message = "Long-poll gave no answer within {TimeoutSeconds} s: no work")]
    public static partial void PollTimeout(ILogger logger, double timeoutSeconds);

    [LoggerMessage(EventId = 2, EventName = "long_poll_not_available", Level = LogLevel.Debug, Message = "The Hub has no long-poll endpoint (404); list agents with notifications instead")]
    public static partial void LongPollNotAvailable(ILogger logger);

    [LoggerMessage(EventId = 3, EventName = "unknown_notification_type", Level = LogLevel.Debug, Message = "Skipped notification {NotificationId} of unknown type {NotificationType}")]
    public static partial void UnknownNotificationType(ILogger logger, string notificationId, string notificationType);

    [LoggerMessage(EventId = 4, EventName = "notification_unreadable", Level = LogLevel.Debug, Message = "Skipped a notification the client could not read: {Reason}")]
    public static partial void NotificationUnreadable(ILogger logger, string reason);

    [LoggerMessage(EventId = 5, EventName = "hub_request_retry", Level = LogLevel.Information, Message = "Hub request {Endpoint} failed transiently ({Reason}); attempt {Attempt} of {MaxAttempts} in {DelayMs} ms")]
    public static partial void RequestRetry(ILogger logger, string endpoint, string reason, int attempt, int maxAttempts, long delayMs);

    [LoggerMessage(EventId = 6, EventName = "hub_answer_incomplete", Level = LogLevel.Warning, Message = "Hub accepted {Method} {Path} ({Status}) but its answer has no usable {Field}; the write stands")]
    public static partial void AnswerIncomplete(ILogger logger, string method, string path, int status, string field);

    [LoggerMessage(EventId = 7, EventName = "budget_answer_unreadable", Level = LogLevel.Debug, Message = "Budget-health answer of {Path} has no readable {Field}; read as {Value}")]
    public static partial void BudgetFieldUnreadable(ILogger logger, string path, string field, string value);
}
