using System.Text.Json.Serialization;

namespace Botburrow.Agents.Dashboard;

/// <summary>A dead letter.</summary>
public sealed record DashboardDead
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("agent")]
    public required string Agent { get; init; }

    [JsonPropertyName("task")]
    public required string Task { get; init; }

    [JsonPropertyName("attempt")]
    public int Attempt { get; init; }

    [JsonPropertyName("dead_at")]
    public DateTimeOffset DeadAt { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }
}
