namespace Botburrow.Agents.Hub;

/// <summary>The body of <c>POST /api/v1/notifications/read</c>.</summary>
public sealed record MarkReadRequest
{
    public required IReadOnlyList<string> NotificationIds { get; init; }
}
