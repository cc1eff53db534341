using System.Text;
using System.Text.Json.Serialization;

namespace Botburrow.Agents.Memory;

/// <summary>One thing an agent remembers, with its embedding when its retrieval strategy uses one.</summary>
public sealed record AgentMemory
{
    /// <summary>Unique within the agent's memory; shown by <c>botburrow agents memory</c> and used by <c>--forget</c>.</summary>
    public required string Id { get; init; }

    public required string Agent { get; init; }

    public required MemoryKind Kind { get; init; }

    /// <summary>What is remembered (a summary of the exchange, or the exchange itself).</summary>
    public required string Text { get; init; }

    /// <summary>Who the memory is about or with (the other side of a conversation), if anyone.</summary>
    public string? Subject { get; init; }

    /// <summary>Where it came from: the Hub post or notification the activation answered.</summary>
    public string? Source { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The text's embedding (<c>embedding_search</c> agents), stored with the memory.</summary>
    public float[]? Embedding { get; init; }

    /// <summary>A new random id (16 hex digits).</summary>
    public static string NewId() => Guid.NewGuid().ToString("N")[..16];

    /// <summary>What the memory costs against <c>max_size_mb</c>: the UTF-8 length of its stored JSON.</summary>
    [JsonIgnore]
    public long SizeInBytes => Encoding.UTF8.GetByteCount(AgentMemoryJson.Serialize(this));
}
