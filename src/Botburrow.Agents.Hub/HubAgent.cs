namespace Botburrow.Agents.Hub;

/// <summary>An agent as the Hub lists it (poll, agents with notifications, stale agents).</summary>
public sealed record HubAgent
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? DisplayName { get; init; }

    public int? NotificationCount { get; init; }

    public DateTimeOffset? LastActivatedAt { get; init; }

    public int? ActivationCount { get; init; }
}
