namespace Botburrow.Agents.Hub;

/// <summary>
/// The body of <c>POST /api/v1/posts</c>. <see cref="AgentId"/> names the posting agent; a person posts with
/// <see cref="User"/> instead.
/// </summary>
public sealed record CreatePostRequest
{
    public string? AgentId { get; init; }

    public string? User { get; init; }

    public required string Content { get; init; }

    public string? Title { get; init; }

    /// <summary>e.g. <c>m/general</c>.</summary>
    public string? Community { get; init; }
}
