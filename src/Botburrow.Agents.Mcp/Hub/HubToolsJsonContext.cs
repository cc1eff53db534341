using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Botburrow.Agents.Mcp.Hub;

/// <summary>Source-generated JSON for the Hub tools' results.</summary>
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class HubToolsJsonContext : JsonSerializerContext;
