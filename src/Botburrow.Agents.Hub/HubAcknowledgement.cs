namespace Botburrow.Agents.Hub;

/// <summary>The answer of writes that return no resource (consumption, activation).</summary>
public sealed record HubAcknowledgement
{
    public required string Status { get; init; }

    public string? AgentId { get; init; }

    public DateTimeOffset? LastActivatedAt { get; init; }
}
