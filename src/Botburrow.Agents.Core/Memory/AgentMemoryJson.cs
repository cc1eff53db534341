using System.Text.Json;

namespace Botburrow.Agents.Memory;

/// <summary>The one stored JSON form of <see cref="AgentMemory"/> (both backends).</summary>
public static class AgentMemoryJson
{
    public static string Serialize(AgentMemory memory) => JsonSerializer.Serialize(memory, MemoryJsonContext.Default.AgentMemory);

    public static AgentMemory Deserialize(string json)
        => JsonSerializer.Deserialize(json, MemoryJsonContext.Default.AgentMemory) ?? throw new JsonException("memory JSON is null");

    internal static string SerializeList(List<AgentMemory> memories) => JsonSerializer.Serialize(memories, MemoryJsonContext.Default.ListAgentMemory);

    internal static List<AgentMemory> DeserializeList(string json)
        => JsonSerializer.Deserialize(json, MemoryJsonContext.Default.ListAgentMemory) ?? [];
}
