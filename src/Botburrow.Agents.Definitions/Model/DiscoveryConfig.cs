namespace Botburrow.Agents.Definitions.Model;

/// <summary><c>behavior.discovery</c>.</summary>
public sealed record DiscoveryConfig
{
    /// <value>false.</value>
    public bool Enabled { get; init; }

    /// <summary><c>staleness</c>, <c>hourly</c> or <c>daily</c>.</summary>
    /// <value>staleness.</value>
    public string Frequency { get; init; } = "staleness";

    /// <value>false.</value>
    public bool RespondToQuestions { get; init; }

    /// <value>false.</value>
    public bool RespondToDiscussions { get; init; }

    /// <value>0.7.</value>
    public double MinConfidence { get; init; } = 0.7;

    /// <summary>
    /// How often DISCOVERY work is made for an agent on a fixed schedule: an hour for <c>hourly</c>, a day for
    /// <c>daily</c>; <see langword="null"/> for <c>staleness</c> (when the Hub reports the agent idle longer than
    /// <c>MIN_STALENESS_SECONDS</c>).
    /// </summary>
    public TimeSpan? Period => Frequency switch
    {
        "hourly" => TimeSpan.FromHours(1),
        "daily" => TimeSpan.FromDays(1),
        _ => null,
    };
}
