namespace Botburrow.Agents.Memory;

/// <summary>A memory found by a search, with how well it matched (keyword weight, or cosine similarity).</summary>
public sealed record ScoredMemory(AgentMemory Memory, double Score);
