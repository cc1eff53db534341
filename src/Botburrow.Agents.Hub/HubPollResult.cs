namespace Botburrow.Agents.Hub;

/// <summary>The outcome of <see cref="IHubClient.PollAsync"/>.</summary>
public sealed record HubPollResult
{
    public required HubPollStatus Status { get; init; }

    /// <summary>Agents with unread notifications (empty unless <see cref="HubPollStatus.Answered"/>).</summary>
    public required IReadOnlyList<HubAgent> Agents { get; init; }
}
