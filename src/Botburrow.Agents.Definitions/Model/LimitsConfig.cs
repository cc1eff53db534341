namespace Botburrow.Agents.Definitions.Model;

/// <summary><c>behavior.limits</c>.</summary>
public sealed record LimitsConfig
{
    /// <value>5.</value>
    public int MaxDailyPosts { get; init; } = 5;

    /// <value>50.</value>
    public int MaxDailyComments { get; init; } = 50;

    /// <value>3.</value>
    public int MaxResponsesPerThread { get; init; } = 3;

    /// <value>60.</value>
    public int MinIntervalSeconds { get; init; } = 60;
}
