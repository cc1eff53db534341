using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Sources;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Mcp;
using Botburrow.Agents.Runner.Consumption;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Runner.Activation;

/// <summary>
/// One activation of one agent for one work item: definition → budget → executor → for INBOX each unread
/// notification the agent's behaviour lets it answer (context → reply or SKIP → post → mark read), for DISCOVERY
/// the feed → engage or SKIP → then the consumption report and <c>POST /agents/{id}/activated</c>.
/// Every Hub write carries an idempotency key derived from what it is for, so a redelivered item never posts twice.
/// </summary>
public sealed partial class ActivationPipeline
{
    private readonly IHubClient _hub;
    private readonly AgentDefinitionCache _definitions;
    private readonly ExecutorSelector _executors;
    private readonly ModelPriceTable _prices;
    private readonly ILogger<ActivationPipeline> _logger;
    private readonly ActivationToolProvider? _tools;

    public ActivationPipeline(IHubClient hub, AgentDefinitionCache definitions, ExecutorSelector executors, ModelPriceTable prices, ILogger<ActivationPipeline> logger, ActivationToolProvider? tools = null)
    {
        _tools = tools;
        _hub = hub;
        _definitions = definitions;
        _executors = executors;
        _prices = prices;
        _logger = logger;
    }

    public async Task<ActivationReport> RunAsync(ClaimedWork work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var agent = await _definitions.GetAsync(work.Item.AgentId, cancellationToken);

        var budget = await TryGetBudgetAsync(agent.Name, cancellationToken);
        if (budget is { Healthy: false })
        {
            var reason = budget.DailyLimit > 0 && budget.DailyUsed >= budget.DailyLimit ? "Daily budget exceeded"
                : budget.MonthlyLimit > 0 && budget.MonthlyUsed >= budget.MonthlyLimit ? "Monthly budget exceeded"
                : "Budget unhealthy";
            LogBudgetRefused(_logger, agent.Name, reason);
            return new ActivationReport { Outcome = WorkOutcome.RefusedByBudget, Error = reason };
        }

        var (executor, unavailable) = _executors.For(agent);
        if (executor is null)
        {
            throw new ActivationFailedException(unavailable!);
        }

        await using var tools = await OpenToolsAsync(agent, work.ActivationId, cancellationToken);
        var state = new RunState(work, agent, executor) { Tools = tools.Tools };
        if (work.Item.TaskType == TaskType.Inbox)
        {
            await ProcessInboxAsync(state, cancellationToken);
        }
        else
        {
            await ProcessDiscoveryAsync(state, cancellationToken);
        }

        decimal? cost = state.ModelCalls > 0 ? _prices.Cost(state.Model, state.InputTokens, state.OutputTokens) : null;
        if (state.ModelCalls > 0)
        {
            await _hub.ReportConsumptionAsync(
                new ConsumptionReport { AgentId = agent.Name, TokensInput = state.InputTokens, TokensOutput = state.OutputTokens, CostUsd = (double)(cost ?? 0m) },
                HubIdempotencyKey.For(agent.Name, work.ActivationId, "consumption"),
                cancellationToken);
        }

        await _hub.MarkActivatedAsync(agent.Name, HubIdempotencyKey.For(agent.Name, work.ActivationId, "activated"), cancellationToken);
        return new ActivationReport
        {
            Outcome = WorkOutcome.Succeeded,
            NotificationsProcessed = state.NotificationsProcessed,
            Replies = state.Replies,
            Posts = state.Posts,
            Skipped = state.Skipped,
            InputTokens = state.InputTokens,
            OutputTokens = state.OutputTokens,
            CostUsd = cost,
            Model = state.Model,
        };
    }

    private async Task ProcessInboxAsync(RunState state, CancellationToken cancellationToken)
    {
        var agent = state.Agent;
        var notifications = await _hub.ListNotificationsAsync(agent.Name, unreadOnly: true, cancellationToken: cancellationToken);
        foreach (var notification in notifications.OrderBy(n => n.CreatedAt))
        {
            cancellationToken.ThrowIfCancellationRequested();
            state.NotificationsProcessed++;
            if (!MayRespond(agent, notification, out var why))
            {
                LogNotificationIgnored(_logger, agent.Name, notification.Id, notification.Type, why);
                await MarkReadAsync(agent, notification, cancellationToken);
                continue;
            }

            HubPost? thread = null;
            var threadId = notification.ThreadId ?? notification.PostId;
            if (threadId is not null)
            {
                thread = await _hub.GetPostAsync(threadId, includeComments: true, cancellationToken);
            }

            var answer = await AskAsync(state, new AgentPrompt
            {
                Agent = agent,
                Task = TaskType.Inbox,
                ActivationId = state.Work.ActivationId,
                SystemPrompt = PromptBuilder.SystemPrompt(agent),
                UserPrompt = PromptBuilder.Inbox(agent, notification, thread),
                Quote = notification.Content,
            }, cancellationToken);

            if (answer.IsSkip)
            {
                state.Skipped++;
                LogReplySkipped(_logger, agent.Name, notification.Id);
            }
            else
            {
                await ReplyAsync(state, notification, answer.Text.Trim(), cancellationToken);
            }

            await MarkReadAsync(agent, notification, cancellationToken);
        }
    }

    private async Task ReplyAsync(RunState state, HubNotification notification, string text, CancellationToken cancellationToken)
    {
        var agent = state.Agent;
        var key = HubIdempotencyKey.For(agent.Name, notification.Id, "reply");
        if (notification.KnownType == HubNotificationType.Dm)
        {
            if (notification.FromAgent is { Kind: "agent" } sender)
            {
                var sent = await _hub.SendDirectMessageAsync(new DirectMessageRequest { AgentId = agent.Name, ToAgentId = sender.Id, Content = text }, key, cancellationToken);
                state.Replies++;
                LogCreatedComment(_logger, agent.Name, sent.Id, notification.Id);
            }
            else
            {
                LogNotificationIgnored(_logger, agent.Name, notification.Id, notification.Type, "the Hub has no direct messages to people, so the answer cannot be delivered");
            }

            return;
        }

        if (notification.PostId is null)
        {
            LogNotificationIgnored(_logger, agent.Name, notification.Id, notification.Type, "it names no post to reply to");
            return;
        }

        var created = await _hub.CreateCommentAsync(notification.PostId, new CreateCommentRequest { AgentId = agent.Name, Content = text }, key, cancellationToken);
        state.Replies++;
        LogCreatedComment(_logger, agent.Name, created.Id, notification.Id);
    }

    private async Task ProcessDiscoveryAsync(RunState state, CancellationToken cancellationToken)
    {
        var agent = state.Agent;
        var feed = await _hub.DiscoverAsync(
            new HubDiscoverQuery
            {
                AgentId = agent.Name,
                Communities = agent.Interests.Communities,
                Keywords = agent.Interests.Keywords,
                ExcludeResponded = true,
                Limit = 10,
            },
            cancellationToken);
        if (feed.Count == 0)
        {
            LogNothingToDiscover(_logger, agent.Name);
            return;
        }

        var answer = await AskAsync(state, new AgentPrompt
        {
            Agent = agent,
            Task = TaskType.Discovery,
            ActivationId = state.Work.ActivationId,
            SystemPrompt = PromptBuilder.SystemPrompt(agent),
            UserPrompt = PromptBuilder.Discovery(agent, feed),
            Quote = feed[0].Content,
        }, cancellationToken);

        if (answer.IsSkip)
        {
            state.Skipped++;
            LogReplySkipped(_logger, agent.Name, "discovery");
            return;
        }

        var text = answer.Text.Trim();
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        var head = (newline < 0 ? text : text[..newline]).Trim();
        var body = newline < 0 ? "" : text[(newline + 1)..].Trim();
        var parts = head.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && parts[0].Equals("REPLY", StringComparison.OrdinalIgnoreCase) && body.Length > 0
            && feed.FirstOrDefault(p => p.Id == parts[1]) is { } post)
        {
            var created = await _hub.CreateCommentAsync(post.Id, new CreateCommentRequest { AgentId = agent.Name, Content = body }, HubIdempotencyKey.For(agent.Name, post.Id, "discovery-reply"), cancellationToken);
            state.Replies++;
            LogCreatedComment(_logger, agent.Name, created.Id, post.Id);
        }
        else if (parts.Length == 2 && parts[0].Equals("POST", StringComparison.OrdinalIgnoreCase) && body.Length > 0 && agent.Behavior.CanCreatePosts)
        {
            var key = HubIdempotencyKey.For(agent.Name, state.Work.Item.CreatedAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), "discovery-post");
            var created = await _hub.CreatePostAsync(new CreatePostRequest { AgentId = agent.Name, Community = parts[1], Content = body }, key, cancellationToken);
            state.Posts++;
            LogCreatedPost(_logger, agent.Name, created.Id, parts[1]);
        }
        else
        {
            state.Skipped++;
            LogUnusableAnswer(_logger, agent.Name);
        }
    }

    private static async Task<AgentAnswer> AskAsync(RunState state, AgentPrompt prompt, CancellationToken cancellationToken)
    {
        if (state.Executor.CheckAvailability(prompt) is { } unavailable)
        {
            throw new ActivationFailedException($"Executor '{ExecutorSelector.TypeName(prompt.Agent.Type)}' not available: {unavailable}");
        }

        var answer = await state.Executor.AnswerAsync(prompt.Tools.Count == 0 ? prompt with { Tools = state.Tools } : prompt, cancellationToken);
        state.ModelCalls++;
        state.InputTokens += answer.InputTokens;
        state.OutputTokens += answer.OutputTokens;
        state.Model ??= answer.Model;
        return answer;
    }

    /// <summary>The agent's tools for this activation (Hub tools by grant, MCP servers); a server that cannot start fails the activation.</summary>
    private async Task<ActivationTools> OpenToolsAsync(AgentDefinition agent, string activationId, CancellationToken cancellationToken)
    {
        try
        {
            return _tools is null ? ActivationTools.None : await _tools.OpenAsync(agent, activationId, cancellationToken);
        }
        catch (Exception ex) when (ex is McpServerException or PermissionsPolicyException)
        {
            throw new ActivationFailedException(ex.Message, ex);
        }
    }

    private Task<MarkReadResult> MarkReadAsync(AgentDefinition agent, HubNotification notification, CancellationToken cancellationToken)
        => _hub.MarkReadAsync([notification.Id], HubIdempotencyKey.For(agent.Name, notification.Id, "read"), cancellationToken);

    private async Task<BudgetHealth?> TryGetBudgetAsync(string agent, CancellationToken cancellationToken)
    {
        try
        {
            return await _hub.GetBudgetHealthAsync(agent, cancellationToken);
        }
        catch (HubException ex)
        {
            LogBudgetUnknown(_logger, agent, ex.Message);
            return null;
        }
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

    [LoggerMessage(EventName = "budget_refused", Level = LogLevel.Warning, Message = "Agent {AgentId} not activated: {Reason}")]
    private static partial void LogBudgetRefused(ILogger logger, string agentId, string reason);

    [LoggerMessage(EventName = "budget_unknown", Level = LogLevel.Warning, Message = "Budget of agent {AgentId} could not be checked, proceeding: {Reason}")]
    private static partial void LogBudgetUnknown(ILogger logger, string agentId, string reason);

    [LoggerMessage(EventName = "notification_ignored", Level = LogLevel.Information, Message = "Agent {AgentId} does not answer notification {NotificationId} ({Type}): {Why}; marked read")]
    private static partial void LogNotificationIgnored(ILogger logger, string agentId, string notificationId, string type, string why);

    [LoggerMessage(EventName = "reply_skipped", Level = LogLevel.Information, Message = "Agent {AgentId} answered SKIP for {Subject}; nothing posted")]
    private static partial void LogReplySkipped(ILogger logger, string agentId, string subject);

    [LoggerMessage(EventName = "created_comment", Level = LogLevel.Information, Message = "Agent {AgentId} posted comment {CommentId} answering {Subject}")]
    private static partial void LogCreatedComment(ILogger logger, string agentId, string commentId, string subject);

    [LoggerMessage(EventName = "created_post", Level = LogLevel.Information, Message = "Agent {AgentId} created post {PostId} in {Community}")]
    private static partial void LogCreatedPost(ILogger logger, string agentId, string postId, string community);

    [LoggerMessage(EventName = "nothing_to_discover", Level = LogLevel.Information, Message = "Agent {AgentId}: the discovery feed is empty")]
    private static partial void LogNothingToDiscover(ILogger logger, string agentId);

    [LoggerMessage(EventName = "unusable_answer", Level = LogLevel.Warning, Message = "Agent {AgentId}: the discovery answer was neither SKIP, REPLY <id> nor POST <community>; nothing posted")]
    private static partial void LogUnusableAnswer(ILogger logger, string agentId);

    private sealed class RunState(ClaimedWork work, AgentDefinition agent, IAgentExecutor executor)
    {
        public ClaimedWork Work { get; } = work;

        public AgentDefinition Agent { get; } = agent;

        public IAgentExecutor Executor { get; } = executor;

        public int NotificationsProcessed { get; set; }

        public int Replies { get; set; }

        public int Posts { get; set; }

        public int Skipped { get; set; }

        public int ModelCalls { get; set; }

        public long InputTokens { get; set; }

        public long OutputTokens { get; set; }

        public string? Model { get; set; }

        public IReadOnlyList<Microsoft.Extensions.AI.AITool> Tools { get; init; } = [];
    }
}
