using System.Text.Json.Serialization;

namespace Botburrow.Agents.Dashboard;

/// <summary>An agent the circuit breaker holds back (or with failures counted).</summary>
public sealed record DashboardBackoff
{
    [JsonPropertyName("agent")]
    public required string Agent { get; init; }

    [JsonPropertyName("failures")]
    public long Failures { get; init; }

    [JsonPropertyName("until")]
    public DateTimeOffset? Until { get; init; }

    [JsonPropertyName("remaining_seconds")]
    public double? RemainingSeconds { get; init; }
}
