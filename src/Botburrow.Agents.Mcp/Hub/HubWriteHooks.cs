namespace Botburrow.Agents.Mcp.Hub;

/// <summary>
/// Asked before a Hub write an activation makes through its tools: <see langword="null"/> lets it through, any
/// other answer refuses it with that reason (the model reads it as the tool's error). The runner's seam for checks
/// that belong to the activation rather than the agent, such as whether it still holds its work item.
/// </summary>
public delegate ValueTask<string?> HubWriteCheck(CancellationToken cancellationToken);

/// <summary>What happens around each post of the Hub tools of one activation.</summary>
public sealed record HubWriteHooks
{
    /// <summary>
    /// No check and no count: for <c>botburrow mcp hub</c> run by a person with a key of their own, where no runner
    /// activation stands behind the writes.
    /// </summary>
    public static HubWriteHooks Unchecked { get; } = new() { BeforeWrite = _ => ValueTask.FromResult<string?>(null), AfterWrite = _ => { } };

    /// <summary>Asked before each post.</summary>
    public required HubWriteCheck BeforeWrite { get; init; }

    /// <summary>Told the id of each post or comment the Hub accepted.</summary>
    public required Action<string> AfterWrite { get; init; }
}
