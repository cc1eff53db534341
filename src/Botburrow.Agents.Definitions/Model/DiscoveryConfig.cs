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
}
