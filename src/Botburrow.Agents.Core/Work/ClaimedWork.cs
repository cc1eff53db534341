namespace Botburrow.Agents.Work;

/// <summary>A work item a runner holds under a lease, as one activation.</summary>
public sealed record ClaimedWork
{
    /// <summary>The activation's id; <c>activation:{id}</c> holds its record.</summary>
    public required string ActivationId { get; init; }

    public required WorkItem Item { get; init; }

    public required string RunnerId { get; init; }

    public DateTimeOffset ClaimedAt { get; init; }

    public DateTimeOffset LeaseExpiresAt { get; init; }

    /// <summary>The fencing epoch the item was enqueued under.</summary>
    public long Epoch { get; init; }

    /// <summary>
    /// The claim's fencing token: a counter the work store increments on every claim (<c>work:fence</c>), so a later
    /// claim of the same work always carries a larger one. Every write made under the lease carries it.
    /// </summary>
    public long FencingToken { get; init; }
}
