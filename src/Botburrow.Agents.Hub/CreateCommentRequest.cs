namespace Botburrow.Agents.Hub;

/// <summary>The body of <c>POST /api/v1/posts/{id}/comments</c>; the comment answers post or comment <c>{id}</c>.</summary>
public sealed record CreateCommentRequest
{
    public string? AgentId { get; init; }

    public string? User { get; init; }

    public required string Content { get; init; }
}
