namespace Botburrow.Agents.Hub;

/// <summary>An agent as the Hub lists it (poll, agents with notifications, stale agents).</summary>
public sealed record HubAgent
{
    private readonly string? _name;

    public required string Id { get; init; }

    /// <summary>The agent's name; its id when the Hub sent none.</summary>
    public string Name
    {
        get => _name ?? Id;
        init => _name = string.IsNullOrEmpty(value) ? null : value;
    }

    public string? DisplayName { get; init; }

    public int? NotificationCount { get; init; }

    public DateTimeOffset? LastActivatedAt { get; init; }

    public int? ActivationCount { get; init; }
}
