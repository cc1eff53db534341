using System.Text.Json.Serialization;

namespace Botburrow.Agents.Work;

/// <summary>An entry of <c>work:recent</c>: a finished activation and how it ended (newest first, capped).</summary>
public sealed record RecentActivation
{
    /// <summary>How many finished activations <c>work:recent</c> keeps.</summary>
    public const int Capacity = 50;

    [JsonPropertyName("id")]
    public required string ActivationId { get; init; }

    [JsonPropertyName("agent_id")]
    public required string AgentId { get; init; }

    [JsonPropertyName("runner_id")]
    public required string RunnerId { get; init; }

    [JsonPropertyName("task_type")]
    public required TaskType TaskType { get; init; }

    [JsonPropertyName("attempt")]
    public int Attempt { get; init; }

    /// <summary><c>succeeded</c>, <c>failed</c>, <c>cancelled</c> or <c>refused_by_budget</c>.</summary>
    [JsonPropertyName("outcome")]
    public required string Outcome { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("claimed_at")]
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset ClaimedAt { get; init; }

    [JsonPropertyName("finished_at")]
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset FinishedAt { get; init; }

    public static string OutcomeName(WorkOutcome outcome) => outcome switch
    {
        WorkOutcome.Succeeded => "succeeded",
        WorkOutcome.Failed => "failed",
        // A stop by an operator is a cancellation to the dashboard; its error says who stopped it.
        WorkOutcome.Cancelled or WorkOutcome.StoppedByOperator => "cancelled",
        _ => "refused_by_budget",
    };

    /// <summary>The entry for a completed claim.</summary>
    public static RecentActivation From(ClaimedWork work, WorkOutcome outcome, string? error, DateTimeOffset finishedAt)
    {
        ArgumentNullException.ThrowIfNull(work);
        return new RecentActivation
        {
            ActivationId = work.ActivationId,
            AgentId = work.Item.AgentId,
            RunnerId = work.RunnerId,
            TaskType = work.Item.TaskType,
            Attempt = work.Item.Attempt,
            Outcome = OutcomeName(outcome),
            Error = error,
            ClaimedAt = work.ClaimedAt,
            FinishedAt = finishedAt,
        };
    }
}
