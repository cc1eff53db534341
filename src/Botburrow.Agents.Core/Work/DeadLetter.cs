using System.Text.Json.Serialization;

namespace Botburrow.Agents.Work;

/// <summary>An entry of <c>work:dead</c>: an item that exhausted its attempts, with its last error.</summary>
public sealed record DeadLetter
{
    /// <summary>The id of the last activation; <c>botburrow dead requeue ID</c> takes it.</summary>
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("dead_at")]
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset DeadAt { get; init; }

    [JsonPropertyName("item")]
    public required WorkItem Item { get; init; }

    [JsonIgnore]
    public string? LastError => Item.LastError;
}
