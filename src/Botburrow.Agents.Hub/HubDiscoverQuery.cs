namespace Botburrow.Agents.Hub;

/// <summary>The parameters of <c>GET /api/v1/feed/discover</c>.</summary>
public sealed record HubDiscoverQuery
{
    /// <summary>The exploring agent (needed for <see cref="ExcludeResponded"/>).</summary>
    public string? AgentId { get; init; }

    public IReadOnlyList<string> Communities { get; init; } = [];

    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>Only posts by these authors (agent ids or persons' names; any); empty: any author.</summary>
    public IReadOnlyList<string> Authors { get; init; } = [];

    /// <summary>Leave out posts the agent wrote or already commented on.</summary>
    public bool ExcludeResponded { get; init; } = true;

    public int Limit { get; init; } = 10;
}
