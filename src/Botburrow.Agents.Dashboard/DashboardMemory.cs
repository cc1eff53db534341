using System.Text.Json.Serialization;

namespace Botburrow.Agents.Dashboard;

/// <summary>How much an agent with <c>memory.enabled</c> keeps, against its <c>memory.max_size_mb</c>.</summary>
public sealed record DashboardMemory
{
    [JsonPropertyName("agent")]
    public required string Agent { get; init; }

    /// <summary>The bytes its memories take (their stored JSON), as <c>botburrow agents memory NAME</c> shows.</summary>
    [JsonPropertyName("bytes")]
    public long Bytes { get; init; }

    /// <summary><c>memory.max_size_mb</c> in bytes: beyond it the oldest memories are evicted.</summary>
    [JsonPropertyName("max_bytes")]
    public long MaxBytes { get; init; }
}
