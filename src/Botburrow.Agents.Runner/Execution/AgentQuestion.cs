namespace Botburrow.Agents.Runner.Execution;

/// <summary>What an agent is asked: one notification or the discovery feed, with its context.</summary>
public sealed record AgentQuestion
{
    /// <summary>What the question is about, as the transcript and the logs name it (<c>notification n-1</c>, <c>discovery feed</c>).</summary>
    public required string Subject { get; init; }

    /// <summary>The question as the model reads it: the notification or feed with its thread and instructions.</summary>
    public required string Text { get; init; }

    /// <summary>The text the question is about (the notification's content, the first feed item's) without its context, when it has one.</summary>
    public string? About { get; init; }
}
