using System.Text.Json.Serialization;

namespace Botburrow.Agents.Dashboard;

/// <summary>What the fleet dashboard shows, as served by <c>GET /api/v1/dashboard</c>.</summary>
public sealed record DashboardSnapshot
{
    [JsonPropertyName("generated_at")]
    public required DateTimeOffset GeneratedAt { get; init; }

    [JsonPropertyName("leader")]
    public string? Leader { get; init; }

    [JsonPropertyName("leader_since")]
    public DateTimeOffset? LeaderSince { get; init; }

    [JsonPropertyName("epoch")]
    public long Epoch { get; init; }

    [JsonPropertyName("queues")]
    public required IReadOnlyList<DashboardQueueRow> Queues { get; init; }

    [JsonPropertyName("runners")]
    public required IReadOnlyList<DashboardRunner> Runners { get; init; }

    [JsonPropertyName("activations")]
    public required IReadOnlyList<DashboardActivation> Activations { get; init; }

    [JsonPropertyName("backoff")]
    public required IReadOnlyList<DashboardBackoff> Backoff { get; init; }

    [JsonPropertyName("dead")]
    public required IReadOnlyList<DashboardDead> Dead { get; init; }

    [JsonPropertyName("recent")]
    public required IReadOnlyList<DashboardRecent> Recent { get; init; }

    /// <summary>Memory size of every agent with <c>memory.enabled</c>; empty when no agent keeps memories.</summary>
    [JsonPropertyName("memory")]
    public IReadOnlyList<DashboardMemory> Memory { get; init; } = [];

    /// <summary>Why <see cref="Memory"/> could not be read (the definitions source failed), or <see langword="null"/>.</summary>
    [JsonPropertyName("memory_error")]
    public string? MemoryError { get; init; }
}
