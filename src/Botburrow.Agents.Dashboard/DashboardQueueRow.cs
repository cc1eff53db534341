using System.Text.Json.Serialization;

namespace Botburrow.Agents.Dashboard;

/// <summary>One priority queue: depth and the oldest item's age.</summary>
public sealed record DashboardQueueRow
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("depth")]
    public long Depth { get; init; }

    [JsonPropertyName("oldest_age_seconds")]
    public double? OldestAgeSeconds { get; init; }
}
