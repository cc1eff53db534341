namespace Botburrow.Agents.Runner.Execution;

/// <summary>An executor's final answer and what it cost.</summary>
public sealed record AgentAnswer
{
    /// <summary>The exact answer that means "nothing to post".</summary>
    public const string SkipText = "SKIP";

    public required string Text { get; init; }

    public string? Model { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public int Iterations { get; init; }

    /// <summary>What the answer cost as the tool itself reported it (CLI tools that report cost), or <see langword="null"/> to price the tokens from the price table.</summary>
    public decimal? CostUsd { get; init; }

    /// <summary>
    /// True when the executor already counted this answer's usage into <see cref="ActivationContext.Meter"/> call by
    /// call; otherwise the pipeline counts <see cref="InputTokens"/> and <see cref="OutputTokens"/> itself.
    /// </summary>
    public bool Metered { get; init; }

    /// <summary>
    /// True when the agent already published through the Hub's post tool during the conversation; the runner then
    /// does not post the final text as well, so an answer is never published twice.
    /// </summary>
    public bool PublishedThroughTool { get; init; }

    /// <summary>The model declined: the answer is <c>SKIP</c> (alone, any case, surrounding punctuation ignored) or empty.</summary>
    public bool IsSkip
    {
        get
        {
            var trimmed = Text.Trim().Trim('.', '!', '"', '\'', '`', '*').Trim();
            return trimmed.Length == 0 || trimmed.Equals(SkipText, StringComparison.OrdinalIgnoreCase);
        }
    }
}
