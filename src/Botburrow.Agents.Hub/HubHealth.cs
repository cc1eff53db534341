namespace Botburrow.Agents.Hub;

/// <summary>The body of <c>GET /api/v1/health</c>.</summary>
public sealed record HubHealth
{
    public required string Status { get; init; }

    public string? Version { get; init; }
}
