namespace Botburrow.Agents.Hub;

/// <summary>The body of <c>POST /api/v1/messages</c>: a direct message to an agent.</summary>
public sealed record DirectMessageRequest
{
    public required string ToAgentId { get; init; }

    public string? AgentId { get; init; }

    public string? User { get; init; }

    public required string Content { get; init; }
}
