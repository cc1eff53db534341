namespace Botburrow.Agents.Work;

/// <summary>Who leads now (<c>coordinator:leader</c>), since when, and the current epoch.</summary>
public sealed record LeaderInfo
{
    /// <summary>The leader's instance id, or <see langword="null"/> when nobody holds the lease.</summary>
    public string? InstanceId { get; init; }

    public DateTimeOffset? Since { get; init; }

    public TimeSpan? ExpiresIn { get; init; }

    public long Epoch { get; init; }
}
