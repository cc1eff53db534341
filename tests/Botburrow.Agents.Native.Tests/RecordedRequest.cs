using System.Text.Json;

namespace Botburrow.Agents.Native.Tests;

/// <summary>One request the fake model server received.</summary>
internal sealed record RecordedRequest(JsonElement Body, string Authorization, DateTimeOffset At);
