using System.Text.Json.Serialization;

namespace Botburrow.Agents.Memory;

/// <summary>Source-generated JSON for stored memories.</summary>
[JsonSourceGenerationOptions(
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AgentMemory))]
[JsonSerializable(typeof(List<AgentMemory>))]
internal sealed partial class MemoryJsonContext : JsonSerializerContext;
