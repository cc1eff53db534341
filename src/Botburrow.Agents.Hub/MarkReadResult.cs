namespace Botburrow.Agents.Hub;

/// <summary>
/// The answer of <c>POST /api/v1/notifications/read</c>: how many notifications became read, when the Hub says
/// (any 2xx is success; <c>{"ok": true}</c> and an empty body are fine).
/// </summary>
public sealed record MarkReadResult
{
    public int? Marked { get; init; }
}
