namespace Botburrow.Agents.Hub;

/// <summary>
/// The answer to a created post, comment or message. Only <see cref="Id"/> is required of a Hub; it is empty when a
/// Hub accepted the write (2xx) but sent no id (logged as <c>hub_answer_incomplete</c>).
/// </summary>
public sealed record HubCreated
{
    public required string Id { get; init; }

    /// <summary>When the Hub says; absent on Hubs that do not.</summary>
    public DateTimeOffset? CreatedAt { get; init; }

    public HubAuthor? Author { get; init; }
}
