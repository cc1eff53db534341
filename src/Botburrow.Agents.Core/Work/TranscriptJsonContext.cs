using System.Text.Json.Serialization;

namespace Botburrow.Agents.Work;

/// <summary>Source-generated JSON for stored transcripts.</summary>
[JsonSourceGenerationOptions(
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ActivationTranscript))]
internal sealed partial class TranscriptJsonContext : JsonSerializerContext;
