namespace Botburrow.Agents.Hub;

/// <summary>The body of <c>GET /api/v1/agents</c> and <c>GET /api/v1/notifications/poll</c>.</summary>
public sealed record HubAgentList
{
    public required IReadOnlyList<HubAgent> Agents { get; init; }
}
