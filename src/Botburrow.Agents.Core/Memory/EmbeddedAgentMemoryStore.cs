using System.Text;

namespace Botburrow.Agents.Memory;

/// <summary>
/// The embedded <see cref="IAgentMemoryStore"/> for <c>botburrow up</c> and <c>activate --once</c>: in memory, and
/// also as one <c>{agent}.json</c> file per agent in a folder when one is given (<c>up</c> uses
/// <c>.botburrow/memory</c>, which <c>botburrow agents memory</c> reads without Redis). Each change rewrites the
/// agent's file (written beside it, then moved over it).
/// </summary>
public sealed class EmbeddedAgentMemoryStore : IAgentMemoryStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<AgentMemory>> _agents = new(StringComparer.Ordinal);

    /// <param name="directory">The folder of memory files, or <see langword="null"/> to keep memories in this process only.</param>
    public EmbeddedAgentMemoryStore(string? directory)
    {
        Directory = directory;
    }

    /// <summary>The folder of memory files, or <see langword="null"/> for memory only.</summary>
    public string? Directory { get; }

    public Task RememberAsync(AgentMemory memory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(memory);
        lock (_lock)
        {
            var list = Load(memory.Agent);
            list.RemoveAll(m => m.Id == memory.Id);
            list.Add(memory);
            Save(memory.Agent, list);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AgentMemory>> RecentAsync(string agent, int count, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<AgentMemory>>([.. Oldest(Load(agent)).Reverse().Take(count)]);
        }
    }

    public Task<IReadOnlyList<ScoredMemory>> SearchKeywordAsync(string agent, string query, int count, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var words = MemoryText.Words(query).Select(w => w.Word).ToList();
        lock (_lock)
        {
            var hits = new List<ScoredMemory>();
            foreach (var memory in Load(agent))
            {
                var counts = MemoryText.Words(memory.Text).ToDictionary(w => w.Word, w => w.Count, StringComparer.Ordinal);
                var score = words.Sum(w => counts.TryGetValue(w, out var n) ? MemoryText.Weight(n) : 0);
                if (score > 0)
                {
                    hits.Add(new ScoredMemory(memory, score));
                }
            }

            return Task.FromResult(MemoryText.Rank(hits, count));
        }
    }

    public Task<IReadOnlyList<ScoredMemory>> SearchEmbeddingAsync(string agent, ReadOnlyMemory<float> vector, int count, double minScore, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var hits = Load(agent)
                .Where(m => m.Embedding is not null)
                .Select(m => new ScoredMemory(m, MemoryText.Cosine(m.Embedding, vector.Span)))
                .Where(h => h.Score >= minScore);
            return Task.FromResult(MemoryText.Rank(hits, count));
        }
    }

    public Task<long> SizeAsync(string agent, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(Load(agent).Sum(m => m.SizeInBytes));
        }
    }

    public Task<bool> ForgetAsync(string agent, string id, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var list = Load(agent);
            var removed = list.RemoveAll(m => m.Id == id) > 0;
            if (removed)
            {
                Save(agent, list);
            }

            return Task.FromResult(removed);
        }
    }

    public Task<int> ClearAsync(string agent, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var list = Load(agent);
            var count = list.Count;
            list.Clear();
            Save(agent, list);
            return Task.FromResult(count);
        }
    }

    public Task<IReadOnlyList<string>> EvictAsync(string agent, long maxBytes, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var list = Load(agent);
            var size = list.Sum(m => m.SizeInBytes);
            var evicted = new List<string>();
            foreach (var oldest in Oldest(list).ToList())
            {
                if (size <= maxBytes)
                {
                    break;
                }

                list.Remove(oldest);
                size -= oldest.SizeInBytes;
                evicted.Add(oldest.Id);
            }

            if (evicted.Count > 0)
            {
                Save(agent, list);
            }

            return Task.FromResult<IReadOnlyList<string>>(evicted);
        }
    }

    private static IEnumerable<AgentMemory> Oldest(List<AgentMemory> list)
        => list.OrderBy(m => m.CreatedAt.ToUnixTimeMilliseconds()).ThenBy(m => m.Id, StringComparer.Ordinal);

    private List<AgentMemory> Load(string agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (_agents.TryGetValue(agent, out var list))
        {
            return list;
        }

        list = Directory is not null && File.Exists(PathFor(agent)) ? AgentMemoryJson.DeserializeList(File.ReadAllText(PathFor(agent), Encoding.UTF8)) : [];
        _agents[agent] = list;
        return list;
    }

    private void Save(string agent, List<AgentMemory> list)
    {
        if (Directory is null)
        {
            return;
        }

        System.IO.Directory.CreateDirectory(Directory);
        var path = PathFor(agent);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, AgentMemoryJson.SerializeList(list));
        File.Move(temporary, path, overwrite: true);
    }

    private string PathFor(string agent)
    {
        if (agent.Length == 0 || agent.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || agent.Contains("..", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{agent}' is not an agent name", nameof(agent));
        }

        return Path.Combine(Directory!, agent + ".json"); // callers check Directory
    }
}
