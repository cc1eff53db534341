namespace Botburrow.Agents.Work;

/// <summary>
/// The state behind the behaviour limits (<c>max_daily_posts</c>, <c>max_daily_comments</c>,
/// <c>max_responses_per_thread</c>, <c>min_interval_seconds</c>): per agent per UTC day, per agent per thread,
/// and the agent's latest publication. An agent has at most one activation at a time, so check-then-record
/// needs no lock across the two calls.
/// </summary>
public interface IAgentActivityStore
{
    /// <summary>Today's counts, the responses in <paramref name="threadId"/> (when given) and the latest publication.</summary>
    Task<AgentActivity> GetAsync(string agentId, string? threadId, CancellationToken cancellationToken = default);

    /// <summary>Counts one publication now (and one response in <paramref name="threadId"/> when given).</summary>
    Task RecordAsync(string agentId, AgentAction action, string? threadId, CancellationToken cancellationToken = default);
}
