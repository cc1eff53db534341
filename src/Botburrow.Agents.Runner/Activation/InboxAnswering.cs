using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Memory;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Runner.Memory;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Runner.Activation;

/// <summary>
/// INBOX: each unread notification, oldest first, that the agent's behaviour lets it answer: its thread → the
/// behaviour limits → the question → reply (or SKIP) → mark read. Every Hub write (reply, direct message, read-mark)
/// first asks the activation's lease and carries an idempotency key derived from what it is for. With
/// <c>memory.enabled</c> the question carries the memories recalled for the notification (a marked section naming
/// their ids, so the transcript shows which were used), and an answered exchange with someone listed in
/// <c>memory.remember.conversations_with</c> is remembered verbatim.
/// </summary>
internal sealed partial class InboxAnswering(IHubClient hub, PublishGate gate, AgentMemoryService memory, ILogger logger)
{
    public async Task RunAsync(ActivationRun run, CancellationToken cancellationToken)
    {
        var agent = run.Agent;
        var tally = run.Tally;
        var notifications = await hub.ListNotificationsAsync(agent.Name, unreadOnly: true, cancellationToken: cancellationToken);
        foreach (var notification in notifications.OrderBy(n => n.CreatedAt))
        {
            cancellationToken.ThrowIfCancellationRequested();
            tally.NotificationsProcessed++;
            var subject = "notification " + notification.Id;
            if (!MayRespond(agent, notification, out var why))
            {
                LogNotificationIgnored(logger, agent.Name, notification.Id, notification.Type, why);
                await MarkReadAsync(run, notification, cancellationToken);
                continue;
            }

            if (gate.RefusePublishing(run, subject))
            {
                await MarkReadAsync(run, notification, cancellationToken);
                continue;
            }

            HubPost? thread = null;
            var threadId = notification.ThreadId ?? notification.PostId;
            if (threadId is not null)
            {
                thread = await hub.GetPostAsync(threadId, includeComments: true, cancellationToken);
            }

            var isDm = notification.KnownType == HubNotificationType.Dm;
            var limitThread = isDm ? null : threadId;
            var seen = thread?.Comments?.Count(c => c.Author.Id == agent.Name || c.Author.Name == agent.Name) ?? 0;
            var hit = await gate.CheckLimitAsync(run, AgentAction.Comment, limitThread, seen, subject, cancellationToken);
            if (hit is { Temporary: true })
            {
                // The notification and the rest stay unread: the next activation answers them.
                tally.Skipped++;
                tally.NotificationsProcessed--;
                break;
            }

            if (hit is not null)
            {
                tally.Skipped++;
                await MarkReadAsync(run, notification, cancellationToken);
                continue;
            }

            var recalled = await memory.RecallAsync(agent, notification.Content ?? thread?.Title ?? "", cancellationToken);
            var question = new AgentQuestion { Subject = subject, Text = MemoryPromptSection.Format(recalled) + PromptBuilder.Inbox(agent, notification, thread), About = notification.Content };
            var answer = await run.AskAsync(question, cancellationToken);
            if (!answer.IsSkip && notification.FromAgent?.Name is { } other && !string.IsNullOrWhiteSpace(notification.Content))
            {
                await memory.RememberAsync(agent, MemoryKind.Conversation, other, $"@{other}: {notification.Content.Trim()}\n@{agent.Name}: {answer.Text.Trim()}", notification.PostId ?? notification.Id, cancellationToken);
            }

            if (answer.IsSkip)
            {
                tally.Skipped++;
                ActivationLog.ReplySkipped(logger, agent.Name, notification.Id);
            }
            else if (answer.PublishedThroughTool)
            {
                ActivationLog.PublishedThroughTool(logger, agent.Name, notification.Id);
            }
            else
            {
                await ReplyAsync(run, notification, limitThread, answer.Text.Trim(), cancellationToken);
            }

            await MarkReadAsync(run, notification, cancellationToken);
        }
    }

    private async Task ReplyAsync(ActivationRun run, HubNotification notification, string? threadId, string text, CancellationToken cancellationToken)
    {
        var agent = run.Agent;
        var key = HubIdempotencyKey.For(agent.Name, notification.Id, "reply");
        if (notification.KnownType == HubNotificationType.Dm)
        {
            if (notification.FromAgent is { Kind: "agent" } sender)
            {
                await run.EnsureLeaseAsync(cancellationToken);
                var sent = await hub.SendDirectMessageAsync(new DirectMessageRequest { AgentId = agent.Name, ToAgentId = sender.Id, Content = text }, key, cancellationToken);
                await gate.RecordAsync(run, AgentAction.Comment, null, cancellationToken);
                run.Tally.Replies++;
                ActivationLog.CreatedComment(logger, agent.Name, sent.Id, notification.Id);
            }
            else
            {
                LogNotificationIgnored(logger, agent.Name, notification.Id, notification.Type, "the Hub has no direct messages to people, so the answer cannot be delivered");
            }

            return;
        }

        if (notification.PostId is null)
        {
            LogNotificationIgnored(logger, agent.Name, notification.Id, notification.Type, "it names no post to reply to");
            return;
        }

        await run.EnsureLeaseAsync(cancellationToken);
        var created = await hub.CreateCommentAsync(notification.PostId, new CreateCommentRequest { AgentId = agent.Name, Content = text }, key, cancellationToken);
        await gate.RecordAsync(run, AgentAction.Comment, threadId, cancellationToken);
        run.Tally.Replies++;
        ActivationLog.CreatedComment(logger, agent.Name, created.Id, notification.Id);
    }

    private async Task MarkReadAsync(ActivationRun run, HubNotification notification, CancellationToken cancellationToken)
    {
        await run.EnsureLeaseAsync(cancellationToken);
        await hub.MarkReadAsync([notification.Id], HubIdempotencyKey.For(run.Agent.Name, notification.Id, "read"), cancellationToken);
    }

    private static bool MayRespond(AgentDefinition agent, HubNotification notification, out string why)
    {
        why = "";
        switch (notification.KnownType)
        {
            case HubNotificationType.Mention when !agent.Behavior.RespondToMentions:
                why = "behavior.respond_to_mentions is false";
                return false;
            case HubNotificationType.Reply or HubNotificationType.Comment or HubNotificationType.ThreadUpdate when !agent.Behavior.RespondToReplies:
                why = "behavior.respond_to_replies is false";
                return false;
            case HubNotificationType.Dm when !agent.Behavior.RespondToDms:
                why = "behavior.respond_to_dms is false";
                return false;
            case HubNotificationType.Follow or HubNotificationType.Like:
                why = "it needs no answer";
                return false;
            case null:
                why = "its type is unknown";
                return false;
            default:
                return true;
        }
    }

    [LoggerMessage(EventName = "notification_ignored", Level = LogLevel.Information, Message = "Agent {AgentId} does not answer notification {NotificationId} ({Type}): {Why}; marked read")]
    private static partial void LogNotificationIgnored(ILogger logger, string agentId, string notificationId, string type, string why);
}
