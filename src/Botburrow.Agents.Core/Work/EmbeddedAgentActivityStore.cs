namespace Botburrow.Agents.Work;

/// <summary>The in-process <see cref="IAgentActivityStore"/> for <c>botburrow up</c> and <c>activate --once</c>: the same rules as Redis, in memory.</summary>
public sealed class EmbeddedAgentActivityStore : IAgentActivityStore
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly Dictionary<(string Agent, DateOnly Day), (int Posts, int Comments)> _days = [];
    private readonly Dictionary<(string Agent, string Thread), (int Count, DateTimeOffset Expires)> _threads = [];
    private readonly Dictionary<string, DateTimeOffset> _last = new(StringComparer.Ordinal);

    public EmbeddedAgentActivityStore(TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
    }

    public Task<AgentActivity> GetAsync(string agentId, string? threadId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        var now = _time.GetUtcNow();
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        lock (_lock)
        {
            _days.TryGetValue((agentId, day), out var counts);
            var thread = 0;
            if (threadId is not null && _threads.TryGetValue((agentId, threadId), out var entry) && entry.Expires > now)
            {
                thread = entry.Count;
            }

            DateTimeOffset? last = _last.TryGetValue(agentId, out var at) && at + AgentActivityRetention.LastPublished > now ? at : null;
            return Task.FromResult(new AgentActivity { Day = day, PostsToday = counts.Posts, CommentsToday = counts.Comments, ThreadResponses = thread, LastPublishedAt = last });
        }
    }

    public Task RecordAsync(string agentId, AgentAction action, string? threadId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        var now = _time.GetUtcNow();
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        lock (_lock)
        {
            _days.TryGetValue((agentId, day), out var counts);
            _days[(agentId, day)] = action == AgentAction.Post ? (counts.Posts + 1, counts.Comments) : (counts.Posts, counts.Comments + 1);
            foreach (var old in _days.Keys.Where(k => k.Day < day.AddDays(-1)).ToList())
            {
                _days.Remove(old);
            }

            if (threadId is not null)
            {
                var count = _threads.TryGetValue((agentId, threadId), out var entry) && entry.Expires > now ? entry.Count : 0;
                _threads[(agentId, threadId)] = (count + 1, now + AgentActivityRetention.Thread);
            }

            _last[agentId] = now;
        }

        return Task.CompletedTask;
    }
}
