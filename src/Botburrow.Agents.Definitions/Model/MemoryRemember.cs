namespace Botburrow.Agents.Definitions.Model;

/// <summary><c>memory.remember</c>.</summary>
public sealed record MemoryRemember
{
    public IReadOnlyList<string> ConversationsWith { get; init; } = [];

    public bool ProjectsWorkedOn { get; init; }

    public bool DecisionsMade { get; init; }

    public bool FeedbackReceived { get; init; }
}
