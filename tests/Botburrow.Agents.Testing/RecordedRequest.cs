using System.Text.Json;

namespace Botburrow.Agents.Testing;

/// <summary>One request the fake model server received.</summary>
public sealed record RecordedRequest(JsonElement Body, string Authorization, DateTimeOffset At);
