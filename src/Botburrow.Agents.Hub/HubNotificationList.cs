namespace Botburrow.Agents.Hub;

/// <summary>The body of <c>GET /api/v1/notifications</c>.</summary>
public sealed record HubNotificationList
{
    public required IReadOnlyList<HubNotification> Notifications { get; init; }
}
