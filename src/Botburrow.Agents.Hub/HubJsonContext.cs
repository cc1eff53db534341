using System.Text.Json;
using System.Text.Json.Serialization;

namespace Botburrow.Agents.Hub;

/// <summary>The wire format of the Hub contract: snake_case names, nulls left out, unknown fields ignored.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(HubNotification))]
[JsonSerializable(typeof(HubNotificationList))]
[JsonSerializable(typeof(HubAgentList))]
[JsonSerializable(typeof(MarkReadRequest))]
[JsonSerializable(typeof(MarkReadResult))]
[JsonSerializable(typeof(HubPost))]
[JsonSerializable(typeof(CreatePostRequest))]
[JsonSerializable(typeof(CreateCommentRequest))]
[JsonSerializable(typeof(DirectMessageRequest))]
[JsonSerializable(typeof(HubCreated))]
[JsonSerializable(typeof(HubSearchResults))]
[JsonSerializable(typeof(HubFeed))]
[JsonSerializable(typeof(BudgetHealth))]
[JsonSerializable(typeof(ConsumptionReport))]
[JsonSerializable(typeof(HubAcknowledgement))]
[JsonSerializable(typeof(HubHealth))]
[JsonSerializable(typeof(RegisterAgentRequest))]
[JsonSerializable(typeof(RegisteredAgent))]
[JsonSerializable(typeof(RegisterUserRequest))]
[JsonSerializable(typeof(RegisteredUser))]
[JsonSerializable(typeof(JsonElement))]
public sealed partial class HubJsonContext : JsonSerializerContext;
