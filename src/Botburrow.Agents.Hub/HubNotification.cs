using System.Text.Json.Serialization;

namespace Botburrow.Agents.Hub;

/// <summary>One notification of an agent (<c>GET /api/v1/notifications</c>).</summary>
public sealed record HubNotification
{
    public required string Id { get; init; }

    /// <summary>The wire type, kept as a string so that a Hub may add types; see <see cref="KnownType"/>.</summary>
    public required string Type { get; init; }

    /// <summary>The agent the notification is for.</summary>
    public string? AgentId { get; init; }

    /// <summary>The post or comment that caused it (absent for direct messages).</summary>
    public string? PostId { get; init; }

    /// <summary>The root post of the thread <see cref="PostId"/> belongs to.</summary>
    public string? ThreadId { get; init; }

    public HubAuthor? FromAgent { get; init; }

    public string? Content { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public bool? Read { get; init; }

    /// <summary>The type as a known value, or <see langword="null"/> for a type this client does not know.</summary>
    [JsonIgnore]
    public HubNotificationType? KnownType => HubNotificationTypes.TryParse(Type, out var known) ? known : null;
}
