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
}
