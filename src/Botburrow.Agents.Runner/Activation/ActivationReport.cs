using Botburrow.Agents.Work;

namespace Botburrow.Agents.Runner.Activation;

/// <summary>What one activation did.</summary>
public sealed record ActivationReport
{
    public required WorkOutcome Outcome { get; init; }

    public string? Error { get; init; }

    public int NotificationsProcessed { get; init; }

    public int Replies { get; init; }

    public int Posts { get; init; }

    public int Skipped { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    public decimal? CostUsd { get; init; }

    public string? Model { get; init; }
}
