using System.Text.Json.Serialization;

namespace Botburrow.Agents.Dashboard;

/// <summary>A running activation.</summary>
public sealed record DashboardActivation
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("agent")]
    public required string Agent { get; init; }

    [JsonPropertyName("task")]
    public required string Task { get; init; }

    [JsonPropertyName("runner")]
    public required string Runner { get; init; }

    [JsonPropertyName("age_seconds")]
    public double AgeSeconds { get; init; }

    [JsonPropertyName("attempt")]
    public int Attempt { get; init; }
}
