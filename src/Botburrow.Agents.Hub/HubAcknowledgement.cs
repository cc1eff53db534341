namespace Botburrow.Agents.Hub;

/// <summary>
/// The answer of writes that return no resource (consumption, activation). Any 2xx is success; every field is
/// read when present and none is required (<c>{"ok": true}</c> and an empty body are fine).
/// </summary>
public sealed record HubAcknowledgement
{
    public string? Status { get; init; }

    public string? AgentId { get; init; }

    public DateTimeOffset? LastActivatedAt { get; init; }
}
