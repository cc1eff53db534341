using System.Globalization;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Work;

namespace Botburrow.Agents.Runner.Activation;

/// <summary>
/// The agent's <c>behavior.limits</c> and <c>can_create_posts</c>, checked before anything is posted. A limit hit
/// is a SKIP with its reason, never a failure.
/// </summary>
internal static class BehaviorLimits
{
    /// <summary>Why the agent may not publish <paramref name="action"/> now, or <see langword="null"/> when it may.</summary>
    public static LimitHit? Check(AgentDefinition agent, AgentActivity activity, AgentAction action, string? threadId, DateTimeOffset now)
    {
        var limits = agent.Behavior.Limits;
        if (action == AgentAction.Post && !agent.Behavior.CanCreatePosts)
        {
            return new LimitHit("behavior.can_create_posts is false", Temporary: false);
        }

        if (action == AgentAction.Post && activity.PostsToday >= limits.MaxDailyPosts)
        {
            return new LimitHit(Invariant($"max_daily_posts ({limits.MaxDailyPosts}) reached for {activity.Day:yyyy-MM-dd} (UTC)"), Temporary: false);
        }

        if (action == AgentAction.Comment && activity.CommentsToday >= limits.MaxDailyComments)
        {
            return new LimitHit(Invariant($"max_daily_comments ({limits.MaxDailyComments}) reached for {activity.Day:yyyy-MM-dd} (UTC)"), Temporary: false);
        }

        if (threadId is not null && activity.ThreadResponses >= limits.MaxResponsesPerThread)
        {
            return new LimitHit(Invariant($"max_responses_per_thread ({limits.MaxResponsesPerThread}) reached in thread {threadId}"), Temporary: false);
        }

        if (activity.LastPublishedAt is { } last && limits.MinIntervalSeconds > 0 && now - last < TimeSpan.FromSeconds(limits.MinIntervalSeconds))
        {
            return new LimitHit(Invariant($"min_interval_seconds ({limits.MinIntervalSeconds}) not elapsed since the last publication at {last.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z"), Temporary: true);
        }

        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
