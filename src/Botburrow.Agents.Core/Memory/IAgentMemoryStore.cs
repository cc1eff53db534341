namespace Botburrow.Agents.Memory;

/// <summary>
/// Per-agent memory in the work store (<c>memory:{agent}:…</c> in Redis, see <c>docs/memory.md</c>; a folder of
/// JSON files for <c>botburrow up</c>). Both backends rank the same way (<see cref="MemoryText"/>).
/// </summary>
public interface IAgentMemoryStore
{
    /// <summary>Stores <paramref name="memory"/> (replacing one with the same id) and indexes its words.</summary>
    Task RememberAsync(AgentMemory memory, CancellationToken cancellationToken = default);

    /// <summary>The newest <paramref name="count"/> memories of the agent, newest first.</summary>
    Task<IReadOnlyList<AgentMemory>> RecentAsync(string agent, int count, CancellationToken cancellationToken = default);

    /// <summary>
    /// Memories sharing words with <paramref name="query"/>, best first: the score is the sum over the query's
    /// distinct words of the word's weight in the memory (<see cref="MemoryText.Weight"/>); ties go to the newer.
    /// </summary>
    Task<IReadOnlyList<ScoredMemory>> SearchKeywordAsync(string agent, string query, int count, CancellationToken cancellationToken = default);

    /// <summary>Memories whose embedding has a cosine similarity of at least <paramref name="minScore"/> to <paramref name="vector"/>, best first.</summary>
    Task<IReadOnlyList<ScoredMemory>> SearchEmbeddingAsync(string agent, ReadOnlyMemory<float> vector, int count, double minScore, CancellationToken cancellationToken = default);

    /// <summary>The bytes the agent's memories take (the sum of <see cref="AgentMemory.SizeInBytes"/>).</summary>
    Task<long> SizeAsync(string agent, CancellationToken cancellationToken = default);

    /// <summary>Removes one memory; false when the agent has none with that id.</summary>
    Task<bool> ForgetAsync(string agent, string id, CancellationToken cancellationToken = default);

    /// <summary>Removes all of the agent's memories and returns how many there were.</summary>
    Task<int> ClearAsync(string agent, CancellationToken cancellationToken = default);

    /// <summary>Removes the oldest memories until the agent's size is at most <paramref name="maxBytes"/>; returns their ids, oldest first.</summary>
    Task<IReadOnlyList<string>> EvictAsync(string agent, long maxBytes, CancellationToken cancellationToken = default);
}
