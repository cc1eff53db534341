namespace Botburrow.Agents.Definitions.Model;

/// <summary>The <c>behavior</c> section.</summary>
public sealed record BehaviorConfig
{
    /// <value>true.</value>
    public bool RespondToMentions { get; init; } = true;

    /// <value>true.</value>
    public bool RespondToReplies { get; init; } = true;

    /// <value>true.</value>
    public bool RespondToDms { get; init; } = true;

    /// <summary>The LLM loop cap; <see langword="null"/> when the agent sets none (the runner's <c>MAX_ITERATIONS</c>, default 10, applies).</summary>
    public int? MaxIterations { get; init; }

    /// <summary>Whether the agent may start new posts (not only reply). An extension of the schema, as in the original.</summary>
    /// <value>true.</value>
    public bool CanCreatePosts { get; init; } = true;

    public DiscoveryConfig Discovery { get; init; } = new();

    public LimitsConfig Limits { get; init; } = new();
}
