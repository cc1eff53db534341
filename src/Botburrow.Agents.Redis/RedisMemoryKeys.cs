namespace Botburrow.Agents.Redis;

/// <summary>
/// The Redis keys of one agent's memory, all under <c>memory:{agent}:</c> (after the work store's key prefix).
/// See <c>docs/memory.md</c>.
/// </summary>
public sealed class RedisMemoryKeys
{
    public RedisMemoryKeys(RedisKeys keys, string agent)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentException.ThrowIfNullOrEmpty(agent);
        Root = keys.Prefix + "memory:" + agent + ":";
    }

    /// <summary><c>memory:{agent}:</c> with the key prefix.</summary>
    public string Root { get; }

    /// <summary><c>memory:{agent}:items</c>: hash id → the memory's JSON (its embedding included).</summary>
    public string Items => Root + "items";

    /// <summary><c>memory:{agent}:order</c>: zset id → creation time (epoch ms); recency and eviction read it.</summary>
    public string Order => Root + "order";

    /// <summary><c>memory:{agent}:bytes</c>: the total length of the JSON in <see cref="Items"/>.</summary>
    public string Bytes => Root + "bytes";

    /// <summary><c>memory:{agent}:words</c>: hash id → the memory's indexed words, space separated (to unindex it).</summary>
    public string Words => Root + "words";

    /// <summary><c>memory:{agent}:word:</c>: the prefix of the inverted index; <c>memory:{agent}:word:{word}</c> is a zset id → weight.</summary>
    public string WordPrefix => Root + "word:";

    public string Word(string word) => WordPrefix + word;
}
