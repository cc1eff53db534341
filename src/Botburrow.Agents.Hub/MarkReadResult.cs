namespace Botburrow.Agents.Hub;

/// <summary>The answer of <c>POST /api/v1/notifications/read</c>: how many notifications became read.</summary>
public sealed record MarkReadResult
{
    public required int Marked { get; init; }
}
