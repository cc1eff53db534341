namespace Botburrow.Agents.Hub;

/// <summary>The body of <c>GET /api/v1/search</c>.</summary>
public sealed record HubSearchResults
{
    public required IReadOnlyList<HubPost> Results { get; init; }
}
