using System.Globalization;
using Botburrow.Agents.Memory;
using StackExchange.Redis;

namespace Botburrow.Agents.Redis;

/// <summary>
/// <see cref="IAgentMemoryStore"/> on Redis (keys in <see cref="RedisMemoryKeys"/>). The keyword index is an
/// inverted index of sorted sets (<c>memory:{agent}:word:{word}</c>, id → weight), so it needs no RediSearch;
/// a keyword search is one <c>ZUNION … WITHSCORES</c> over the query's words. Embeddings are stored inside the
/// memory's JSON and compared by cosine in the client (an agent's memory is bounded by <c>max_size_mb</c>).
/// Remembering, forgetting, clearing and evicting are each one Lua script, so the index never drifts from the items.
/// </summary>
public sealed class RedisAgentMemoryStore : IAgentMemoryStore
{
    // KEYS: items, order, bytes, words. The word keys are built from ARGV's prefix: every word key of an agent
    // lives beside its other keys, and the scripts run on a single (non-cluster) server as the work scripts do.
    private const string Forget = """
        local function forget(id)
          local json = redis.call('HGET', KEYS[1], id)
          if not json then return 0 end
          local words = redis.call('HGET', KEYS[4], id)
          if words then
            for w in string.gmatch(words, '%S+') do redis.call('ZREM', ARGV[1] .. w, id) end
          end
          redis.call('HDEL', KEYS[1], id)
          redis.call('HDEL', KEYS[4], id)
          redis.call('ZREM', KEYS[2], id)
          redis.call('DECRBY', KEYS[3], string.len(json))
          return 1
        end
        """;

    // ARGV: word prefix, id, json, created ms, then word, weight pairs.
    private const string RememberScript = Forget + """

        forget(ARGV[2])
        redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
        redis.call('ZADD', KEYS[2], ARGV[4], ARGV[2])
        redis.call('INCRBY', KEYS[3], string.len(ARGV[3]))
        local names = {}
        for i = 5, #ARGV, 2 do
          redis.call('ZADD', ARGV[1] .. ARGV[i], ARGV[i + 1], ARGV[2])
          names[#names + 1] = ARGV[i]
        end
        redis.call('HSET', KEYS[4], ARGV[2], table.concat(names, ' '))
        return 1
        """;

    // ARGV: word prefix, id.
    private const string ForgetScript = Forget + """

        return forget(ARGV[2])
        """;

    // ARGV: word prefix, max bytes.
    private const string EvictScript = Forget + """

        local max = tonumber(ARGV[2])
        local evicted = {}
        while tonumber(redis.call('GET', KEYS[3]) or '0') > max do
          local oldest = redis.call('ZRANGE', KEYS[2], 0, 0)
          if #oldest == 0 then break end
          forget(oldest[1])
          evicted[#evicted + 1] = oldest[1]
        end
        return evicted
        """;

    // ARGV: word prefix.
    private const string ClearScript = Forget + """

        local ids = redis.call('ZRANGE', KEYS[2], 0, -1)
        for _, id in ipairs(ids) do forget(id) end
        for _, id in ipairs(redis.call('HKEYS', KEYS[1])) do forget(id) end
        redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
        return #ids
        """;

    private readonly RedisConnection _connection;
    private readonly RedisKeys _keys;

    public RedisAgentMemoryStore(RedisConnection connection, RedisKeys keys)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(keys);
        _connection = connection;
        _keys = keys;
    }

    public Task RememberAsync(AgentMemory memory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memory);
        var keys = new RedisMemoryKeys(_keys, memory.Agent);
        var args = new List<RedisValue>
        {
            keys.WordPrefix,
            memory.Id,
            AgentMemoryJson.Serialize(memory),
            memory.CreatedAt.ToUnixTimeMilliseconds(),
        };
        foreach (var (word, count) in MemoryText.Words(memory.Text))
        {
            args.Add(word);
            args.Add(MemoryText.Weight(count).ToString("R", CultureInfo.InvariantCulture));
        }

        return _connection.ExecuteAsync("remember", db => db.ScriptEvaluateAsync(RememberScript, Script(keys), [.. args]), cancellationToken);
    }

    public async Task<IReadOnlyList<AgentMemory>> RecentAsync(string agent, int count, CancellationToken cancellationToken = default)
    {
        if (count <= 0)
        {
            return [];
        }

        var keys = new RedisMemoryKeys(_keys, agent);
        var ids = await _connection.ExecuteAsync("recent memories", db => db.SortedSetRangeByRankAsync(keys.Order, 0, count - 1, Order.Descending), cancellationToken);
        return [.. (await ReadAsync(keys, ids, cancellationToken)).Where(m => m is not null).Select(m => m!)];
    }

    public async Task<IReadOnlyList<ScoredMemory>> SearchKeywordAsync(string agent, string query, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var keys = new RedisMemoryKeys(_keys, agent);
        RedisKey[] wordKeys = [.. MemoryText.Words(query).Select(w => (RedisKey)keys.Word(w.Word))];
        if (wordKeys.Length == 0 || count <= 0)
        {
            return [];
        }

        var hits = await _connection.ExecuteAsync("search memories", db => db.SortedSetCombineWithScoresAsync(SetOperation.Union, wordKeys), cancellationToken);
        if (hits.Length == 0)
        {
            return [];
        }

        // Everything that can make the top `count` once ties are broken by recency: all hits scoring at least the count-th best.
        var ordered = hits.OrderByDescending(h => h.Score).ToList();
        var floor = ordered[Math.Min(count, ordered.Count) - 1].Score;
        var candidates = ordered.TakeWhile(h => h.Score >= floor).ToList();
        var memories = await ReadAsync(keys, [.. candidates.Select(h => h.Element)], cancellationToken);
        return MemoryText.Rank(candidates.Zip(memories).Where(p => p.Second is not null).Select(p => new ScoredMemory(p.Second!, p.First.Score)), count);
    }

    public async Task<IReadOnlyList<ScoredMemory>> SearchEmbeddingAsync(string agent, ReadOnlyMemory<float> vector, int count, double minScore, CancellationToken cancellationToken = default)
    {
        var keys = new RedisMemoryKeys(_keys, agent);
        var entries = await _connection.ExecuteAsync("search memories", db => db.HashGetAllAsync(keys.Items), cancellationToken);
        var hits = entries
            .Select(e => AgentMemoryJson.Deserialize(e.Value.ToString()))
            .Where(m => m.Embedding is not null)
            .Select(m => new ScoredMemory(m, MemoryText.Cosine(m.Embedding, vector.Span)))
            .Where(h => h.Score >= minScore);
        return MemoryText.Rank(hits, count);
    }

    public async Task<long> SizeAsync(string agent, CancellationToken cancellationToken = default)
    {
        var keys = new RedisMemoryKeys(_keys, agent);
        var value = await _connection.ExecuteAsync("memory size", db => db.StringGetAsync(keys.Bytes), cancellationToken);
        return value.IsNull ? 0 : (long)value;
    }

    public async Task<bool> ForgetAsync(string agent, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var keys = new RedisMemoryKeys(_keys, agent);
        var result = await _connection.ExecuteAsync("forget memory", db => db.ScriptEvaluateAsync(ForgetScript, Script(keys), [keys.WordPrefix, id]), cancellationToken);
        return (long)result == 1;
    }

    public async Task<int> ClearAsync(string agent, CancellationToken cancellationToken = default)
    {
        var keys = new RedisMemoryKeys(_keys, agent);
        var result = await _connection.ExecuteAsync("clear memory", db => db.ScriptEvaluateAsync(ClearScript, Script(keys), [keys.WordPrefix]), cancellationToken);
        return (int)result;
    }

    public async Task<IReadOnlyList<string>> EvictAsync(string agent, long maxBytes, CancellationToken cancellationToken = default)
    {
        var keys = new RedisMemoryKeys(_keys, agent);
        var result = await _connection.ExecuteAsync("evict memory", db => db.ScriptEvaluateAsync(EvictScript, Script(keys), [keys.WordPrefix, maxBytes]), cancellationToken);
        return result.IsNull ? [] : [.. ((RedisResult[])result!).Select(r => r.ToString())]; // an array reply, never null when not IsNull
    }

    private static RedisKey[] Script(RedisMemoryKeys keys) => [keys.Items, keys.Order, keys.Bytes, keys.Words];

    private async Task<AgentMemory?[]> ReadAsync(RedisMemoryKeys keys, RedisValue[] ids, CancellationToken cancellationToken)
    {
        if (ids.Length == 0)
        {
            return [];
        }

        var values = await _connection.ExecuteAsync("read memories", db => db.HashGetAsync(keys.Items, ids), cancellationToken);
        return [.. values.Select(v => v.IsNull ? null : AgentMemoryJson.Deserialize(v.ToString()))];
    }
}
