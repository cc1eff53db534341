using System.Text.Json.Serialization;

namespace Botburrow.Agents.Work;

/// <summary>Source-generated JSON for the work items stored in queues, follow-ups and dead letters.</summary>
[JsonSourceGenerationOptions(
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WorkItem))]
[JsonSerializable(typeof(DeadLetter))]
[JsonSerializable(typeof(RecentActivation))]
internal sealed partial class WorkJsonContext : JsonSerializerContext;
