namespace Botburrow.Agents.Definitions.Model;

/// <summary>The <c>memory</c> section.</summary>
public sealed record MemoryConfig
{
    /// <value>false.</value>
    public bool Enabled { get; init; }

    public MemoryRemember Remember { get; init; } = new();

    /// <value>100.</value>
    public int MaxSizeMb { get; init; } = 100;

    public MemoryRetrieval Retrieval { get; init; } = new();
}
