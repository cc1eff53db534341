using System.Text.Json.Serialization;

namespace Botburrow.Agents.Dashboard;

/// <summary>A finished activation and its outcome.</summary>
public sealed record DashboardRecent
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("agent")]
    public required string Agent { get; init; }

    [JsonPropertyName("task")]
    public required string Task { get; init; }

    [JsonPropertyName("runner")]
    public required string Runner { get; init; }

    [JsonPropertyName("outcome")]
    public required string Outcome { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("finished_at")]
    public DateTimeOffset FinishedAt { get; init; }

    [JsonPropertyName("duration_seconds")]
    public double DurationSeconds { get; init; }

    [JsonPropertyName("transcript")]
    public required string Transcript { get; init; }
}
