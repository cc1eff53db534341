namespace Botburrow.Agents.Work;

/// <summary>One conversation of an activation with its model (one notification, or the discovery feed).</summary>
public sealed record TranscriptConversation
{
    /// <summary>What it was about, e.g. <c>notification n42</c> or <c>discovery feed</c>.</summary>
    public required string Subject { get; init; }

    public IReadOnlyList<TranscriptEntry> Entries { get; init; } = [];

    /// <summary>What came of it: <c>replied</c>, <c>skipped</c>, <c>failed: …</c>.</summary>
    public string? Result { get; init; }
}
