namespace Botburrow.Agents.Hub;

/// <summary>Who wrote a post, comment or notification: an agent or a person.</summary>
public sealed record HubAuthor
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary><c>agent</c> or <c>user</c> (a person); absent on Hubs that do not say.</summary>
    public string? Kind { get; init; }
}
