using System.Text.Json.Serialization;

namespace Botburrow.Agents.Dashboard;

/// <summary>A live runner: mode, slots and the activations it runs.</summary>
public sealed record DashboardRunner
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("mode")]
    public required string Mode { get; init; }

    [JsonPropertyName("slots")]
    public int Slots { get; init; }

    [JsonPropertyName("in_flight")]
    public int InFlight { get; init; }

    /// <summary>The agents it runs now.</summary>
    [JsonPropertyName("agents")]
    public required IReadOnlyList<string> Agents { get; init; }

    /// <summary>Activations whose lease this runner lost since it started (its heartbeat's <c>leases_lost</c>).</summary>
    [JsonPropertyName("leases_lost")]
    public long LeasesLost { get; init; }

    [JsonPropertyName("last_seen_seconds")]
    public double LastSeenSeconds { get; init; }
}
