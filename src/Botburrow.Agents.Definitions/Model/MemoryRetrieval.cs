namespace Botburrow.Agents.Definitions.Model;

/// <summary><c>memory.retrieval</c>.</summary>
public sealed record MemoryRetrieval
{
    /// <summary><c>embedding_search</c>, <c>keyword</c> or <c>recent</c>.</summary>
    /// <value>embedding_search.</value>
    public string Strategy { get; init; } = "embedding_search";

    /// <value>10.</value>
    public int MaxContextItems { get; init; } = 10;

    /// <value>0.7.</value>
    public double RelevanceThreshold { get; init; } = 0.7;

    /// <summary>
    /// The strategy that runs for a brain of <paramref name="provider"/>: <c>embedding_search</c> needs a provider
    /// with an embeddings API (<c>openai</c>, <c>local</c>); for any other it is <c>keyword</c>.
    /// </summary>
    public string EffectiveStrategy(LlmProvider provider)
        => Strategy == "embedding_search" && !HasEmbeddings(provider) ? "keyword" : Strategy;

    /// <summary>Whether <paramref name="provider"/> offers an embeddings API (OpenAI-compatible <c>/v1/embeddings</c>).</summary>
    public static bool HasEmbeddings(LlmProvider provider) => provider is LlmProvider.OpenAI or LlmProvider.Local;
}
