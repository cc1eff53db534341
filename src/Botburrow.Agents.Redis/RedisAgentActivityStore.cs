using Botburrow.Agents.Work;
using StackExchange.Redis;

namespace Botburrow.Agents.Redis;

/// <summary>
/// <see cref="IAgentActivityStore"/> on Redis: <c>agent:limits:{agent}:{yyyy-mm-dd}</c> (hash posts/comments),
/// <c>agent:limits:{agent}:thread:{thread}</c> (counter) and <c>agent:limits:{agent}:last</c> (epoch ms), each
/// with a TTL. Recording is one Lua script, so the three keys move together.
/// </summary>
public sealed class RedisAgentActivityStore : IAgentActivityStore
{
    private const string RecordScript = """
        redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
        redis.call('EXPIRE', KEYS[1], ARGV[2])
        redis.call('SET', KEYS[2], ARGV[3], 'EX', ARGV[4])
        if KEYS[3] then
          redis.call('INCR', KEYS[3])
          redis.call('EXPIRE', KEYS[3], ARGV[5])
        end
        return 1
        """;

    private readonly RedisConnection _connection;
    private readonly RedisKeys _keys;
    private readonly TimeProvider _time;

    public RedisAgentActivityStore(RedisConnection connection, RedisKeys keys, TimeProvider? timeProvider = null)
    {
        _connection = connection;
        _keys = keys;
        _time = timeProvider ?? TimeProvider.System;
    }

    public Task<AgentActivity> GetAsync(string agentId, string? threadId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        var day = DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime);
        return _connection.ExecuteAsync("agent limits", async db =>
        {
            var counts = db.HashGetAsync(_keys.AgentDay(agentId, day), ["posts", "comments"]);
            var last = db.StringGetAsync(_keys.AgentLast(agentId));
            var thread = threadId is null ? Task.FromResult(RedisValue.Null) : db.StringGetAsync(_keys.AgentThread(agentId, threadId));
            var values = await counts;
            var lastValue = await last;
            var threadValue = await thread;
            return new AgentActivity
            {
                Day = day,
                PostsToday = values[0].IsNull ? 0 : (int)values[0],
                CommentsToday = values[1].IsNull ? 0 : (int)values[1],
                ThreadResponses = threadValue.IsNull ? 0 : (int)threadValue,
                LastPublishedAt = lastValue.IsNull ? null : DateTimeOffset.FromUnixTimeMilliseconds((long)lastValue),
            };
        }, cancellationToken);
    }

    public Task RecordAsync(string agentId, AgentAction action, string? threadId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agentId);
        var now = _time.GetUtcNow();
        var day = DateOnly.FromDateTime(now.UtcDateTime);
        RedisKey[] keys = threadId is null
            ? [_keys.AgentDay(agentId, day), _keys.AgentLast(agentId)]
            : [_keys.AgentDay(agentId, day), _keys.AgentLast(agentId), _keys.AgentThread(agentId, threadId)];
        RedisValue[] args =
        [
            action == AgentAction.Post ? "posts" : "comments",
            (long)AgentActivityRetention.Day.TotalSeconds,
            now.ToUnixTimeMilliseconds(),
            (long)AgentActivityRetention.LastPublished.TotalSeconds,
            (long)AgentActivityRetention.Thread.TotalSeconds,
        ];
        return _connection.ExecuteAsync("agent limits", db => db.ScriptEvaluateAsync(RecordScript, keys, args), cancellationToken);
    }
}
