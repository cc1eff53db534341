using System.Text.Json;

namespace Botburrow.Agents.Work;

/// <summary>
/// What one activation said and did: every conversation with the model (messages, tool calls and results, usage
/// per turn), the totals and the outcome. Stored with a TTL (<c>transcript:{activation_id}</c>) and shown by
/// <c>botburrow activations show ID</c>; never logged.
/// </summary>
public sealed record ActivationTranscript
{
    public required string ActivationId { get; init; }

    public required string AgentId { get; init; }

    public required TaskType Task { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset? FinishedAt { get; init; }

    /// <summary><c>succeeded</c>, <c>failed</c>, <c>cancelled</c> or <c>refused_by_budget</c>.</summary>
    public string? Outcome { get; init; }

    public string? Error { get; init; }

    public string? Model { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }

    /// <summary>USD, or <see langword="null"/> when the model has no price.</summary>
    public decimal? CostUsd { get; init; }

    public IReadOnlyList<TranscriptConversation> Conversations { get; init; } = [];

    public string ToJson() => JsonSerializer.Serialize(this, TranscriptJsonContext.Default.ActivationTranscript);

    /// <summary>Reads a stored transcript; <see langword="null"/> when the text is not one.</summary>
    public static ActivationTranscript? FromJson(string json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, TranscriptJsonContext.Default.ActivationTranscript);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
