using System.Diagnostics;
using System.Globalization;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Sources;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Grants;
using Botburrow.Agents.Mcp;
using Botburrow.Agents.Mcp.Hub;
using Botburrow.Agents.Runner.Consumption;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Runner.Execution.Cli;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Runner.Activation;

/// <summary>
/// One activation of one agent for one work item: definition → budget → executor → for INBOX each unread
/// notification the agent's behaviour lets it answer (context → reply or SKIP → post → mark read), for DISCOVERY
/// the feed → engage or SKIP → then the consumption report and <c>POST /agents/{id}/activated</c>.
/// Every Hub write carries an idempotency key derived from what it is for, so a redelivered item never posts twice.
/// Everything the agent would publish (replies, discovery comments and posts, direct messages) needs
/// <c>hub:write</c>: without it the model is not asked, the notification is marked read, and the activation fails
/// with the troubleshooting guide's <c>Failed to post response: 403 Forbidden (agent X lacks hub:write)</c>.
/// </summary>
public sealed partial class ActivationPipeline
{
    private readonly IHubClient _hub;
    private readonly AgentDefinitionCache _definitions;
    private readonly ExecutorSelector _executors;
    private readonly ModelPriceTable _prices;
    private readonly IAgentActivityStore _activity;
    private readonly ITranscriptStore _transcripts;
    private readonly TimeProvider _time;
    private readonly RunnerOptions _options;
    private readonly ILogger<ActivationPipeline> _logger;
    private readonly ActivationToolProvider _tools;

    public ActivationPipeline(
        IHubClient hub,
        AgentDefinitionCache definitions,
        ExecutorSelector executors,
        ModelPriceTable prices,
        IAgentActivityStore activity,
        ITranscriptStore transcripts,
        TimeProvider timeProvider,
        RunnerOptions options,
        ILogger<ActivationPipeline> logger,
        ActivationToolProvider tools)
    {
        ArgumentNullException.ThrowIfNull(tools);
        _tools = tools;
        _hub = hub;
        _definitions = definitions;
        _executors = executors;
        _prices = prices;
        _activity = activity;
        _transcripts = transcripts;
        _time = timeProvider;
        _options = options;
        _logger = logger;
    }

    private const string WriteGrant = "hub:write";

    public async Task<ActivationReport> RunAsync(ClaimedWork work, IActivationLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(lease);
        var agent = await _definitions.GetAsync(work.Item.AgentId, cancellationToken);
        using var span = StartInvokeAgent(work, agent);

        var budget = await TryGetBudgetAsync(agent.Name, cancellationToken);
        if (budget is { Healthy: false })
        {
            var reason = budget.DailyLimit > 0 && budget.DailyUsed >= budget.DailyLimit ? "Daily budget exceeded"
                : budget.MonthlyLimit > 0 && budget.MonthlyUsed >= budget.MonthlyLimit ? "Monthly budget exceeded"
                : "Budget unhealthy";
            LogBudgetRefused(_logger, agent.Name, reason);
            span?.SetTag("botburrow.outcome", "refused_by_budget");
            return new ActivationReport { Outcome = WorkOutcome.RefusedByBudget, Error = reason };
        }

        var (executor, unavailable) = _executors.For(agent);
        if (executor is null)
        {
            throw new ActivationFailedException(unavailable!);
        }

        var state = new RunState(work, agent, executor, new ActivationMeter(_prices, Remaining(budget)), _time.GetUtcNow());
        var outcome = WorkOutcome.Failed;
        string? error = null;
        // Tools (MCP servers, a CLI tool's workspace) are opened on the first question, not before: a run with
        // nothing to answer starts no server.
        // Hub writes made through the agent's tools are refused once this activation is stopped or timed out.
        // Each write also asks the lease (fencing): a runner that lost its lease publishes nothing.
        HubWriteCheck beforeWrite = ct => cancellationToken.IsCancellationRequested
            ? ValueTask.FromResult<string?>($"activation {work.ActivationId} was stopped or timed out")
            : lease.CheckAsync(irreversible: true, ct);
        state.OpenTools = ct => OpenToolsAsync(agent, work.ActivationId, executor as CliExecutor, beforeWrite, ct);
        state.BeforeWrite = beforeWrite;
        try
        {
            if (work.Item.TaskType == TaskType.Inbox)
            {
                await ProcessInboxAsync(state, cancellationToken);
            }
            else
            {
                await ProcessDiscoveryAsync(state, cancellationToken);
            }

            // Answers the agent may not publish fail the activation (after their notifications were marked read, so
            // the same mention is not run again); the circuit breaker then backs the agent off.
            (outcome, error) = state.PublishRefused is { } refused ? (WorkOutcome.Failed, refused) : (WorkOutcome.Succeeded, null);
        }
        catch (BudgetExhaustedException ex)
        {
            outcome = WorkOutcome.RefusedByBudget;
            error = ex.Message;
            LogBudgetExhausted(_logger, agent.Name, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = WorkOutcome.Cancelled;
            error = "cancelled or timed out";
            throw;
        }
        catch (Exception ex)
        {
            error = ex.Message;
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
        finally
        {
            span?.SetTag("botburrow.outcome", OutcomeName(outcome));
            span?.SetTag("gen_ai.usage.input_tokens", state.Meter.InputTokens);
            span?.SetTag("gen_ai.usage.output_tokens", state.Meter.OutputTokens);
            if (state.OpenedTools is { } tools)
            {
                await tools.DisposeAsync();
            }

            await FinishAsync(state, outcome, error);
        }

        if (outcome == WorkOutcome.Succeeded)
        {
            await _hub.MarkActivatedAsync(agent.Name, HubIdempotencyKey.For(agent.Name, work.ActivationId, "activated"), cancellationToken);
        }

        return new ActivationReport
        {
            Outcome = outcome,
            Error = error,
            NotificationsProcessed = state.NotificationsProcessed,
            Replies = state.Replies,
            Posts = state.Posts,
            Skipped = state.Skipped,
            InputTokens = state.Meter.InputTokens,
            OutputTokens = state.Meter.OutputTokens,
            CostUsd = state.Meter.ModelCalls > 0 ? state.Meter.CostUsd : null,
            Model = state.Meter.Model,
        };
    }

    /// <summary>
    /// Whatever the outcome: exactly one consumption report when a model was called (its idempotency key is the
    /// activation's, so a retried report never counts twice), and the transcript. Both run on their own short
    /// deadline so that a cancelled or timed-out activation still reports what it spent.
    /// </summary>
    private async Task FinishAsync(RunState state, WorkOutcome outcome, string? error)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15), _time);
        var agent = state.Agent;
        var meter = state.Meter;
        if (meter.ModelCalls > 0)
        {
            try
            {
                await _hub.ReportConsumptionAsync(
                    new ConsumptionReport { AgentId = agent.Name, TokensInput = meter.InputTokens, TokensOutput = meter.OutputTokens, CostUsd = (double)(meter.CostUsd ?? 0m) },
                    HubIdempotencyKey.For(agent.Name, state.Work.ActivationId, "consumption"),
                    deadline.Token);
            }
            catch (Exception ex) when (ex is HubException or OperationCanceledException or HttpRequestException)
            {
                LogConsumptionNotReported(_logger, agent.Name, state.Work.ActivationId, ex.Message);
            }
        }

        var transcript = new ActivationTranscript
        {
            ActivationId = state.Work.ActivationId,
            AgentId = agent.Name,
            Task = state.Work.Item.TaskType,
            StartedAt = state.StartedAt,
            FinishedAt = _time.GetUtcNow(),
            Outcome = OutcomeName(outcome),
            Error = error,
            Model = meter.Model,
            InputTokens = meter.InputTokens,
            OutputTokens = meter.OutputTokens,
            CostUsd = meter.CostUsd,
            Conversations = state.Conversations.Select(c => c.ToTranscript()).ToList(),
        };
        try
        {
            await _transcripts.SaveAsync(transcript, _options.TranscriptTtl, deadline.Token);
            LogTranscriptStored(_logger, agent.Name, state.Work.ActivationId, transcript.Conversations.Count);
        }
        catch (Exception ex) when (ex is WorkQueueUnavailableException or OperationCanceledException or IOException or UnauthorizedAccessException)
        {
            LogTranscriptNotStored(_logger, agent.Name, state.Work.ActivationId, ex.Message);
        }
    }

    private static Activity? StartInvokeAgent(ClaimedWork work, AgentDefinition agent)
    {
        ActivityContext.TryParse(work.Item.TraceParent, null, out var parent);
        var span = RunnerTelemetry.Source.StartActivity("invoke_agent " + agent.Name, ActivityKind.Internal, parent);
        span?.SetTag("gen_ai.operation.name", "invoke_agent");
        span?.SetTag("gen_ai.agent.id", agent.Name);
        span?.SetTag("gen_ai.agent.name", agent.DisplayName ?? agent.Name);
        span?.SetTag("gen_ai.provider.name", agent.Brain.Provider.ToString().ToLowerInvariant());
        span?.SetTag("gen_ai.request.model", agent.Brain.Model);
        span?.SetTag("botburrow.activation_id", work.ActivationId);
        span?.SetTag("botburrow.task", work.Item.TaskType.ToString().ToLowerInvariant());
        return span;
    }

    /// <summary>USD left by the tightest of the daily and monthly limits (0 = no limit), or <see langword="null"/>.</summary>
    private static decimal? Remaining(BudgetHealth? budget)
    {
        if (budget is null)
        {
            return null;
        }

        decimal? remaining = null;
        foreach (var (limit, used) in new[] { (budget.DailyLimit, budget.DailyUsed), (budget.MonthlyLimit, budget.MonthlyUsed) })
        {
            if (limit > 0)
            {
                var left = (decimal)Math.Max(0, limit - used);
                remaining = remaining is { } r ? Math.Min(r, left) : left;
            }
        }

        return remaining;
    }

    private static string OutcomeName(WorkOutcome outcome) => outcome switch
    {
        WorkOutcome.RefusedByBudget => "refused_by_budget",
        _ => outcome.ToString().ToLowerInvariant(),
    };

    /// <summary>Checks the behaviour limits for one publication; logs <c>limit_reached</c> when one stops it.</summary>
    private async Task<LimitHit?> CheckLimitAsync(RunState state, AgentAction action, string? threadId, int threadResponsesSeen, string subject, CancellationToken cancellationToken, bool report = true)
    {
        var agent = state.Agent;
        var activity = await _activity.GetAsync(agent.Name, threadId, cancellationToken);
        if (threadResponsesSeen > activity.ThreadResponses)
        {
            activity = activity with { ThreadResponses = threadResponsesSeen };
        }

        var hit = BehaviorLimits.Check(agent, activity, action, threadId, _time.GetUtcNow());
        if (hit is not null && report)
        {
            ReportLimit(state, subject, hit);
        }

        return hit;
    }

    private void ReportLimit(RunState state, string subject, LimitHit hit)
    {
        LogLimitReached(_logger, state.Agent.Name, subject, hit.Reason);
        state.Conversations.Add(new ConversationRecorder(subject) { Result = "skipped: " + hit.Reason });
    }

    private async Task ProcessInboxAsync(RunState state, CancellationToken cancellationToken)
    {
        var agent = state.Agent;
        var notifications = await _hub.ListNotificationsAsync(agent.Name, unreadOnly: true, cancellationToken: cancellationToken);
        foreach (var notification in notifications.OrderBy(n => n.CreatedAt))
        {
            cancellationToken.ThrowIfCancellationRequested();
            await EnsureLeaseAsync(state, cancellationToken);
            state.NotificationsProcessed++;
            if (!MayRespond(agent, notification, out var why))
            {
                LogNotificationIgnored(_logger, agent.Name, notification.Id, notification.Type, why);
                await MarkReadAsync(agent, notification, cancellationToken);
                continue;
            }

            if (RefusePublishing(state, "notification " + notification.Id))
            {
                await MarkReadAsync(agent, notification, cancellationToken);
                continue;
            }

            HubPost? thread = null;
            var threadId = notification.ThreadId ?? notification.PostId;
            if (threadId is not null)
            {
                thread = await _hub.GetPostAsync(threadId, includeComments: true, cancellationToken);
            }

            var isDm = notification.KnownType == HubNotificationType.Dm;
            var limitThread = isDm ? null : threadId;
            var seen = thread?.Comments?.Count(c => c.Author.Id == agent.Name || c.Author.Name == agent.Name) ?? 0;
            var hit = await CheckLimitAsync(state, AgentAction.Comment, limitThread, seen, "notification " + notification.Id, cancellationToken);
            if (hit is { Temporary: true })
            {
                // The notification and the rest stay unread: the next activation answers them.
                state.Skipped++;
                state.NotificationsProcessed--;
                break;
            }

            if (hit is not null)
            {
                state.Skipped++;
                await MarkReadAsync(agent, notification, cancellationToken);
                continue;
            }

            var answer = await AskAsync(state, PromptBuilder.Inbox(agent, notification, thread), notification.Content, "notification " + notification.Id, cancellationToken);

            if (answer.IsSkip)
            {
                state.Skipped++;
                LogReplySkipped(_logger, agent.Name, notification.Id);
            }
            else if (answer.PublishedThroughTool)
            {
                LogPublishedThroughTool(_logger, agent.Name, notification.Id);
            }
            else
            {
                await ReplyAsync(state, notification, limitThread, answer.Text.Trim(), cancellationToken);
            }

            await MarkReadAsync(agent, notification, cancellationToken);
        }
    }

    private async Task ReplyAsync(RunState state, HubNotification notification, string? threadId, string text, CancellationToken cancellationToken)
    {
        await EnsureLeaseAsync(state, cancellationToken);
        var agent = state.Agent;
        var key = HubIdempotencyKey.For(agent.Name, notification.Id, "reply");
        if (notification.KnownType == HubNotificationType.Dm)
        {
            if (notification.FromAgent is { Kind: "agent" } sender)
            {
                var sent = await _hub.SendDirectMessageAsync(new DirectMessageRequest { AgentId = agent.Name, ToAgentId = sender.Id, Content = text }, key, cancellationToken);
                await _activity.RecordAsync(agent.Name, AgentAction.Comment, null, cancellationToken);
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
        await _activity.RecordAsync(agent.Name, AgentAction.Comment, threadId, cancellationToken);
        state.Replies++;
        LogCreatedComment(_logger, agent.Name, created.Id, notification.Id);
    }

    private async Task ProcessDiscoveryAsync(RunState state, CancellationToken cancellationToken)
    {
        var agent = state.Agent;
        if (RefusePublishing(state, "discovery"))
        {
            return;
        }

        var commentLimit = await CheckLimitAsync(state, AgentAction.Comment, null, 0, "discovery", cancellationToken, report: false);
        var postLimit = await CheckLimitAsync(state, AgentAction.Post, null, 0, "discovery", cancellationToken, report: false);
        if (commentLimit is not null && postLimit is not null)
        {
            // Nothing could be published: do not spend tokens on the feed.
            ReportLimit(state, "discovery", commentLimit);
            state.Skipped++;
            return;
        }

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

        var answer = await AskAsync(state, PromptBuilder.Discovery(agent, feed, mayComment: commentLimit is null, mayPost: postLimit is null), feed[0].Content, "discovery feed", cancellationToken);

        if (answer.IsSkip)
        {
            state.Skipped++;
            LogReplySkipped(_logger, agent.Name, "discovery");
            return;
        }

        if (answer.PublishedThroughTool)
        {
            LogPublishedThroughTool(_logger, agent.Name, "discovery");
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
            if (await CheckLimitAsync(state, AgentAction.Comment, post.Id, 0, "discovery reply to " + post.Id, cancellationToken) is not null)
            {
                state.Skipped++;
                return;
            }

            var created = await _hub.CreateCommentAsync(post.Id, new CreateCommentRequest { AgentId = agent.Name, Content = body }, HubIdempotencyKey.For(agent.Name, post.Id, "discovery-reply"), cancellationToken);
            await _activity.RecordAsync(agent.Name, AgentAction.Comment, post.Id, cancellationToken);
            state.Replies++;
            LogCreatedComment(_logger, agent.Name, created.Id, post.Id);
        }
        else if (parts.Length == 2 && parts[0].Equals("POST", StringComparison.OrdinalIgnoreCase) && body.Length > 0)
        {
            if (await CheckLimitAsync(state, AgentAction.Post, null, 0, "discovery post in " + parts[1], cancellationToken) is not null)
            {
                state.Skipped++;
                return;
            }

            var key = HubIdempotencyKey.For(agent.Name, state.Work.Item.CreatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), "discovery-post");
            var created = await _hub.CreatePostAsync(new CreatePostRequest { AgentId = agent.Name, Community = parts[1], Content = body }, key, cancellationToken);
            await _activity.RecordAsync(agent.Name, AgentAction.Post, null, cancellationToken);
            state.Posts++;
            LogCreatedPost(_logger, agent.Name, created.Id, parts[1]);
        }
        else
        {
            state.Skipped++;
            LogUnusableAnswer(_logger, agent.Name);
        }
    }

    /// <summary>
    /// True (after logging the guide's post failure and recording it) when the agent lacks <c>hub:write</c>, so
    /// nothing it answered for <paramref name="subject"/> could be published: the model is not asked at all.
    /// </summary>
    private bool RefusePublishing(RunState state, string subject)
    {
        var agent = state.Agent;
        EffectiveGrants grants;
        try
        {
            grants = state.Grants ??= _tools.GrantsFor(agent);
        }
        catch (PermissionsPolicyException ex)
        {
            throw new ActivationFailedException(ex.Message, ex);
        }

        if (grants.Holds(WriteGrant))
        {
            return false;
        }

        var message = $"Failed to post response: 403 Forbidden (agent {agent.Name} lacks {WriteGrant})";
        var why = grants.Explain(Grant.Parse(WriteGrant));
        LogPublishRefused(_logger, agent.Name, subject, message, why);
        state.Conversations.Add(new ConversationRecorder(subject) { Result = "refused: " + message });
        state.PublishRefused = message;
        state.Skipped++;
        return true;
    }

    /// <summary>
    /// Asks the agent <paramref name="userPrompt"/> (about <paramref name="quote"/>). The tools are opened first, so the
    /// system prompt is built from the tools the agent is actually given and lists exactly those.
    /// </summary>
    private static async Task<AgentAnswer> AskAsync(RunState state, string userPrompt, string? quote, string subject, CancellationToken cancellationToken)
    {
        var agent = state.Agent;
        if (state.Executor.CheckAvailability(agent) is { } unavailable)
        {
            throw new ActivationFailedException($"Executor '{ExecutorSelector.TypeName(agent.Type)}' not available: {unavailable}");
        }

        await state.EnsureToolsAsync(cancellationToken);
        var prompt = new AgentPrompt
        {
            Agent = agent,
            Task = state.Work.Item.TaskType,
            ActivationId = state.Work.ActivationId,
            SystemPrompt = PromptBuilder.SystemPrompt(agent, state.Tools),
            UserPrompt = userPrompt,
            Quote = quote,
        };
        var postsBefore = state.OpenedTools?.HubWrites.Count ?? 0;
        var conversation = new ConversationRecorder(subject);
        state.Conversations.Add(conversation);
        AgentAnswer answer;
        try
        {
            state.Meter.EnsureBudgetFor(subject);
            answer = await state.Executor.AnswerAsync(
                prompt with
                {
                    Meter = state.Meter,
                    Conversation = conversation,
                    Tools = state.Tools,
                    Workspace = state.Workspace,
                    Grants = state.Grants,
                    McpServers = state.McpServers,
                },
                cancellationToken);
        }
        catch (Exception ex)
        {
            conversation.Result = ex is BudgetExhaustedException ? "stopped: " + ex.Message : "failed: " + ex.Message;
            throw;
        }

        if (!answer.Metered)
        {
            state.Meter.Record(answer.Model, answer.InputTokens, answer.OutputTokens, answer.CostUsd);
        }

        if (state.OpenedTools is { } opened && opened.HubWrites.Count > postsBefore)
        {
            // The agent already published through hub_post (in-process, or a CLI tool through the runner's Hub endpoint).
            answer = answer with { PublishedThroughTool = true };
        }

        conversation.Result = answer.IsSkip ? "skipped" : "answered";
        return answer;
    }

    /// <summary>
    /// The agent's tools for this activation (Hub tools by grant, MCP servers) or, for a CLI tool, its workspace and
    /// the servers the tool starts; a server that cannot start (or lacks its credential) fails the activation.
    /// </summary>
    private async Task<ActivationTools> OpenToolsAsync(AgentDefinition agent, string activationId, CliExecutor? cli, HubWriteCheck beforeWrite, CancellationToken cancellationToken)
    {
        try
        {
            return cli is not null
                ? await _tools.OpenForCliToolAsync(agent, activationId, filterHiddenTools: !cli.Tool.RefusesToolsByName, beforeWrite, cancellationToken)
                : await _tools.OpenAsync(agent, activationId, beforeWrite, cancellationToken);
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

    [LoggerMessage(EventName = "budget_exhausted", Level = LogLevel.Warning, Message = "Agent {AgentId} stopped: {Reason}")]
    private static partial void LogBudgetExhausted(ILogger logger, string agentId, string reason);

    [LoggerMessage(EventName = "limit_reached", Level = LogLevel.Information, Message = "Agent {AgentId} skips {Subject}: {Reason}")]
    private static partial void LogLimitReached(ILogger logger, string agentId, string subject, string reason);

    [LoggerMessage(EventName = "consumption_not_reported", Level = LogLevel.Warning, Message = "Agent {AgentId}: the consumption of activation {ActivationId} could not be reported: {Reason}")]
    private static partial void LogConsumptionNotReported(ILogger logger, string agentId, string activationId, string reason);

    [LoggerMessage(EventName = "transcript_stored", Level = LogLevel.Debug, Message = "Agent {AgentId}: transcript of activation {ActivationId} stored ({Conversations} conversation(s))")]
    private static partial void LogTranscriptStored(ILogger logger, string agentId, string activationId, int conversations);

    [LoggerMessage(EventName = "transcript_not_stored", Level = LogLevel.Warning, Message = "Agent {AgentId}: the transcript of activation {ActivationId} could not be stored: {Reason}")]
    private static partial void LogTranscriptNotStored(ILogger logger, string agentId, string activationId, string reason);

    [LoggerMessage(EventName = "budget_unknown", Level = LogLevel.Warning, Message = "Budget of agent {AgentId} could not be checked, proceeding: {Reason}")]
    private static partial void LogBudgetUnknown(ILogger logger, string agentId, string reason);

    [LoggerMessage(EventName = "notification_ignored", Level = LogLevel.Information, Message = "Agent {AgentId} does not answer notification {NotificationId} ({Type}): {Why}; marked read")]
    private static partial void LogNotificationIgnored(ILogger logger, string agentId, string notificationId, string type, string why);

    [LoggerMessage(EventName = "published_through_tool", Level = LogLevel.Information, Message = "Agent {AgentId} already posted through hub_post while answering {Subject}; its final text is not posted again")]
    private static partial void LogPublishedThroughTool(ILogger logger, string agentId, string subject);

    [LoggerMessage(EventName = "post_refused", Level = LogLevel.Error, Message = "Agent {AgentId}: {Message}; {Subject} is not answered and is marked read ({Why})")]
    private static partial void LogPublishRefused(ILogger logger, string agentId, string subject, string message, string why);

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

    /// <summary>Fencing before a direct Hub write: an activation whose lease is lost publishes nothing.</summary>
    private static async Task EnsureLeaseAsync(RunState state, CancellationToken cancellationToken)
    {
        if (state.BeforeWrite is { } check && await check(cancellationToken) is { } refused)
        {
            throw new ActivationFailedException("not published: " + refused);
        }
    }

    private sealed class RunState(ClaimedWork work, AgentDefinition agent, IAgentExecutor executor, ActivationMeter meter, DateTimeOffset startedAt)
    {
        public HubWriteCheck? BeforeWrite { get; set; }

        public ClaimedWork Work { get; } = work;

        public AgentDefinition Agent { get; } = agent;

        public IAgentExecutor Executor { get; } = executor;

        public ActivationMeter Meter { get; } = meter;

        public DateTimeOffset StartedAt { get; } = startedAt;

        public List<ConversationRecorder> Conversations { get; } = [];

        public int NotificationsProcessed { get; set; }

        public int Replies { get; set; }

        public int Posts { get; set; }

        public int Skipped { get; set; }

        /// <summary>The post failure when an answer could not be published for lack of <c>hub:write</c>, else <see langword="null"/>.</summary>
        public string? PublishRefused { get; set; }

        /// <summary>Opens the agent's tools for this activation (called once, on the first question).</summary>
        public Func<CancellationToken, Task<ActivationTools>>? OpenTools { get; set; }

        /// <summary>The tools opened for this activation, or <see langword="null"/> while none was asked for.</summary>
        public ActivationTools? OpenedTools { get; private set; }

        public async Task EnsureToolsAsync(CancellationToken cancellationToken)
        {
            if (OpenedTools is not null || OpenTools is null)
            {
                return;
            }

            OpenedTools = await OpenTools(cancellationToken);
            Tools = OpenedTools.Tools;
            McpServers = OpenedTools.Servers;
            Workspace = OpenedTools.WorkspaceDirectory;
            Grants = OpenedTools.Grants;
        }

        /// <summary>The agent's tools for this activation (Hub tools by grant, MCP servers).</summary>
        public IReadOnlyList<Microsoft.Extensions.AI.AITool> Tools { get; set; } = [];

        /// <summary>The MCP servers a CLI tool starts for the agent.</summary>
        public IReadOnlyList<McpServerLaunch> McpServers { get; set; } = [];

        /// <summary>The activation's workspace, when one was made.</summary>
        public string? Workspace { get; set; }

        /// <summary>The agent's effective grants, when evaluated.</summary>
        public EffectiveGrants? Grants { get; set; }
    }
}
