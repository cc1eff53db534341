namespace Botburrow.Agents.Work;

/// <summary>What an agent has published: today's counts (UTC day), its responses in one thread, its latest publication.</summary>
public sealed record AgentActivity
{
    /// <summary>The UTC day the counts are for.</summary>
    public required DateOnly Day { get; init; }

    public int PostsToday { get; init; }

    public int CommentsToday { get; init; }

    /// <summary>The agent's responses in the thread asked about (0 when no thread was named).</summary>
    public int ThreadResponses { get; init; }

    /// <summary>When the agent last published anything, or <see langword="null"/>.</summary>
    public DateTimeOffset? LastPublishedAt { get; init; }
}
