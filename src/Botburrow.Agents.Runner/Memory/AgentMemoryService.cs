using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Memory;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Runner.Memory;

/// <summary>
/// An agent's memory as its definition says: <see cref="RecallAsync"/> finds up to <c>max_context_items</c>
/// memories by <c>memory.retrieval.strategy</c> (<c>embedding_search</c> falls back to <c>keyword</c> for a provider
/// without embeddings, as the load-time notice says, and for one call whose embedding fails, with a warning);
/// <see cref="RememberAsync"/> keeps what <c>memory.remember</c> asks for and then evicts the oldest memories
/// beyond <c>max_size_mb</c>.
/// </summary>
public sealed partial class AgentMemoryService
{
    private readonly EmbeddingGeneratorFactory _embeddings;
    private readonly TimeProvider _time;
    private readonly ILogger<AgentMemoryService> _logger;

    public AgentMemoryService(IAgentMemoryStore store, EmbeddingGeneratorFactory embeddings, TimeProvider timeProvider, ILogger<AgentMemoryService> logger)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(embeddings);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        Store = store;
        _embeddings = embeddings;
        _time = timeProvider;
        _logger = logger;
    }

    public IAgentMemoryStore Store { get; }

    /// <summary>The bytes the agent's memories take (for the dashboard and <c>agents memory</c>).</summary>
    public Task<long> SizeAsync(string agent, CancellationToken cancellationToken = default) => Store.SizeAsync(agent, cancellationToken);

    /// <summary>The memories relevant to <paramref name="query"/> (the notification or feed item at hand), best first; none when memory is off.</summary>
    public async Task<IReadOnlyList<ScoredMemory>> RecallAsync(AgentDefinition agent, string query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(query);
        var memory = agent.Memory;
        if (!memory.Enabled)
        {
            return [];
        }

        var count = memory.Retrieval.MaxContextItems;
        IReadOnlyList<ScoredMemory> recalled;
        var strategy = memory.Retrieval.EffectiveStrategy(agent.Brain.Provider);
        switch (strategy)
        {
            case "recent":
                recalled = [.. (await Store.RecentAsync(agent.Name, count, cancellationToken)).Select(m => new ScoredMemory(m, 0))];
                break;
            case "embedding_search" when await EmbedAsync(agent, query, cancellationToken) is { } vector:
                recalled = await Store.SearchEmbeddingAsync(agent.Name, vector, count, memory.Retrieval.RelevanceThreshold, cancellationToken);
                break;
            default:
                strategy = "keyword";
                recalled = await Store.SearchKeywordAsync(agent.Name, query, count, cancellationToken);
                break;
        }

        LogRecalled(_logger, agent.Name, recalled.Count, strategy);
        return recalled;
    }

    /// <summary>
    /// Keeps <paramref name="text"/> when <see cref="MemoryPolicy.ShouldRemember"/> says so (with its embedding for
    /// <c>embedding_search</c> agents), then evicts beyond <c>max_size_mb</c>. Returns the memory, or
    /// <see langword="null"/> when it is not kept.
    /// </summary>
    public async Task<AgentMemory?> RememberAsync(AgentDefinition agent, MemoryKind kind, string? subject, string text, string? source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        if (!MemoryPolicy.ShouldRemember(agent.Memory, kind, subject))
        {
            return null;
        }

        var embedding = agent.Memory.Retrieval.EffectiveStrategy(agent.Brain.Provider) == "embedding_search"
            ? await EmbedAsync(agent, text, cancellationToken)
            : null;
        var memory = new AgentMemory
        {
            Id = AgentMemory.NewId(),
            Agent = agent.Name,
            Kind = kind,
            Subject = subject,
            Source = source,
            Text = text,
            CreatedAt = _time.GetUtcNow(),
            Embedding = embedding,
        };
        await Store.RememberAsync(memory, cancellationToken);
        LogStored(_logger, agent.Name, memory.Id, kind, text.Length);
        var evicted = await Store.EvictAsync(agent.Name, MemoryPolicy.MaxBytes(agent.Memory), cancellationToken);
        if (evicted.Count > 0)
        {
            LogEvicted(_logger, agent.Name, evicted.Count, agent.Memory.MaxSizeMb);
        }

        return memory;
    }

    private async Task<float[]?> EmbedAsync(AgentDefinition agent, string text, CancellationToken cancellationToken)
    {
        var (generator, problem) = _embeddings.Create(agent);
        if (generator is null)
        {
            LogNoEmbeddings(_logger, agent.Name, problem ?? "no embeddings");
            return null;
        }

        using (generator)
        {
            try
            {
                var embedding = await generator.GenerateAsync(text, cancellationToken: cancellationToken);
                return embedding.Vector.ToArray();
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogEmbeddingFailed(_logger, agent.Name, ex);
                return null;
            }
        }
    }

    [LoggerMessage(EventName = "memory_recalled", Level = LogLevel.Debug, Message = "memory_recalled agent={AgentId} count={Count} strategy={Strategy}")]
    private static partial void LogRecalled(ILogger logger, string agentId, int count, string strategy);

    [LoggerMessage(EventName = "memory_stored", Level = LogLevel.Debug, Message = "memory_stored agent={AgentId} memory={MemoryId} kind={Kind} chars={Chars}")]
    private static partial void LogStored(ILogger logger, string agentId, string memoryId, MemoryKind kind, int chars);

    [LoggerMessage(EventName = "memory_evicted", Level = LogLevel.Information, Message = "memory_evicted agent={AgentId} count={Count} max_size_mb={MaxSizeMb}")]
    private static partial void LogEvicted(ILogger logger, string agentId, int count, int maxSizeMb);

    [LoggerMessage(EventName = "memory_no_embeddings", Level = LogLevel.Warning, Message = "memory_no_embeddings agent={AgentId}: {Problem}; memories are found by keyword")]
    private static partial void LogNoEmbeddings(ILogger logger, string agentId, string problem);

    [LoggerMessage(EventName = "memory_embedding_failed", Level = LogLevel.Warning, Message = "memory_embedding_failed agent={AgentId}; this recall uses keyword search")]
    private static partial void LogEmbeddingFailed(ILogger logger, string agentId, Exception exception);
}
