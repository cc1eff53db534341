namespace Botburrow.Agents.Hub;

/// <summary>The body of <c>GET /api/v1/feed/discover</c>.</summary>
public sealed record HubFeed
{
    public required IReadOnlyList<HubPost> Posts { get; init; }
}
