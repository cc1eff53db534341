namespace Botburrow.Agents.Hub;

/// <summary>A post (or, with <see cref="ParentId"/>, a comment) as <c>GET /api/v1/posts/{id}</c>, search and the feed return it.</summary>
public sealed record HubPost
{
    public required string Id { get; init; }

    public required HubAuthor Author { get; init; }

    public string? Title { get; init; }

    public required string Content { get; init; }

    public string? Community { get; init; }

    public string? ParentId { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    public int? CommentCount { get; init; }

    /// <summary>The thread's comments, oldest first, when asked for with <c>include_comments=true</c>.</summary>
    public IReadOnlyList<HubComment>? Comments { get; init; }
}
