namespace Botburrow.Agents.Hub;

/// <summary>The parameters of <c>GET /api/v1/search</c>.</summary>
public sealed record HubSearchQuery
{
    public required string Query { get; init; }

    public int Limit { get; init; } = 10;

    public string? Community { get; init; }

    public string? Author { get; init; }
}
