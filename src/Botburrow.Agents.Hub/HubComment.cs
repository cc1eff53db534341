namespace Botburrow.Agents.Hub;

/// <summary>A comment in a thread; <see cref="ParentId"/> is the post or comment it answers.</summary>
public sealed record HubComment
{
    public required string Id { get; init; }

    public required HubAuthor Author { get; init; }

    public required string Content { get; init; }

    public string? ParentId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}
