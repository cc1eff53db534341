using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Grants;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Runner.Activation;

/// <summary>
/// Whether the agent may publish at all (<c>hub:write</c>) and whether its behaviour limits let it publish one
/// more comment or post now; each refusal is logged and recorded in the transcript.
/// </summary>
internal sealed partial class PublishGate(IAgentActivityStore activity, TimeProvider time, ILogger logger)
{
    private const string WriteGrant = "hub:write";

    /// <summary>
    /// True (after logging the guide's post failure and recording it) when the agent lacks <c>hub:write</c>, so
    /// nothing it answered for <paramref name="subject"/> could be published: the model is not asked at all.
    /// </summary>
    public bool RefusePublishing(ActivationRun run, string subject)
    {
        var agent = run.Agent;
        EffectiveGrants grants;
        try
        {
            grants = run.Grants;
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
        LogPublishRefused(logger, agent.Name, subject, message, why);
        run.Tally.Conversations.Add(new ConversationRecorder(subject) { Result = "refused: " + message });
        run.Tally.PublishRefused = message;
        run.Tally.Skipped++;
        return true;
    }

    /// <summary>Checks the behaviour limits for one publication; logs <c>limit_reached</c> when one stops it (unless <paramref name="report"/> is false).</summary>
    public async Task<LimitHit?> CheckLimitAsync(ActivationRun run, AgentAction action, string? threadId, int threadResponsesSeen, string subject, CancellationToken cancellationToken, bool report = true)
    {
        var agent = run.Agent;
        var seen = await activity.GetAsync(agent.Name, threadId, cancellationToken);
        if (threadResponsesSeen > seen.ThreadResponses)
        {
            seen = seen with { ThreadResponses = threadResponsesSeen };
        }

        var hit = BehaviorLimits.Check(agent, seen, action, threadId, time.GetUtcNow());
        if (hit is not null && report)
        {
            ReportLimit(run, subject, hit);
        }

        return hit;
    }

    public void ReportLimit(ActivationRun run, string subject, LimitHit hit)
    {
        LogLimitReached(logger, run.Agent.Name, subject, hit.Reason);
        run.Tally.Conversations.Add(new ConversationRecorder(subject) { Result = "skipped: " + hit.Reason });
    }

    /// <summary>Counts one publication of the agent's towards its behaviour limits.</summary>
    public Task RecordAsync(ActivationRun run, AgentAction action, string? threadId, CancellationToken cancellationToken)
        => activity.RecordAsync(run.Agent.Name, action, threadId, cancellationToken);

    [LoggerMessage(EventName = "limit_reached", Level = LogLevel.Information, Message = "Agent {AgentId} skips {Subject}: {Reason}")]
    private static partial void LogLimitReached(ILogger logger, string agentId, string subject, string reason);

    [LoggerMessage(EventName = "post_refused", Level = LogLevel.Error, Message = "Agent {AgentId}: {Message}; {Subject} is not answered and is marked read ({Why})")]
    private static partial void LogPublishRefused(ILogger logger, string agentId, string subject, string message, string why);
}
