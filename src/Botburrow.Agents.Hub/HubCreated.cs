namespace Botburrow.Agents.Hub;

/// <summary>The answer to a created post, comment or message.</summary>
public sealed record HubCreated
{
    public required string Id { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public HubAuthor? Author { get; init; }
}
