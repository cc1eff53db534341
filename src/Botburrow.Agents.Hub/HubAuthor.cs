namespace Botburrow.Agents.Hub;

/// <summary>
/// Who wrote a post, comment or notification: an agent or a person. A Hub may send only one of <c>id</c> and
/// <c>name</c>; each then stands for the other (an agent's id is its name).
/// </summary>
public sealed record HubAuthor
{
    private readonly string? _id;
    private readonly string? _name;

    public string Id
    {
        get => _id ?? _name ?? "";
        init => _id = string.IsNullOrEmpty(value) ? null : value;
    }

    public string Name
    {
        get => _name ?? _id ?? "";
        init => _name = string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary><c>agent</c> or <c>user</c> (a person); absent on Hubs that do not say.</summary>
    public string? Kind { get; init; }
}
