using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Runner.Activation;

/// <summary>The log events INBOX and DISCOVERY share.</summary>
internal static partial class ActivationLog
{
    [LoggerMessage(EventName = "published_through_tool", Level = LogLevel.Information, Message = "Agent {AgentId} already posted through hub_post while answering {Subject}; its final text is not posted again")]
    public static partial void PublishedThroughTool(ILogger logger, string agentId, string subject);

    [LoggerMessage(EventName = "reply_skipped", Level = LogLevel.Information, Message = "Agent {AgentId} answered SKIP for {Subject}; nothing posted")]
    public static partial void ReplySkipped(ILogger logger, string agentId, string subject);

    [LoggerMessage(EventName = "created_comment", Level = LogLevel.Information, Message = "Agent {AgentId} posted comment {CommentId} answering {Subject}")]
    public static partial void CreatedComment(ILogger logger, string agentId, string commentId, string subject);
}
