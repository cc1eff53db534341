namespace Botburrow.Agents.Work;

/// <summary>A snapshot of the work system for <c>botburrow queue stats</c>, metrics and the dashboard.</summary>
public sealed record WorkQueueStats
{
    /// <summary>Items waiting per priority.</summary>
    public required IReadOnlyDictionary<WorkPriority, long> Depths { get; init; }

    /// <summary>Age of the oldest waiting item per priority (absent when the queue is empty).</summary>
    public required IReadOnlyDictionary<WorkPriority, TimeSpan> OldestAge { get; init; }

    public long Active { get; init; }

    public long FollowUps { get; init; }

    public long InBackoff { get; init; }

    public long Dead { get; init; }

    public required IReadOnlyList<RunnerInfo> Runners { get; init; }
}
