namespace Botburrow.Agents.Work;

/// <summary>
/// One item of a conversation: a message's text (<c>text</c>), a tool call (<c>tool_call</c>), a tool result
/// (<c>tool_result</c>), or the usage of one model turn (<c>usage</c>).
/// </summary>
public sealed record TranscriptEntry
{
    /// <summary><c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</summary>
    public required string Role { get; init; }

    /// <summary><c>text</c>, <c>tool_call</c>, <c>tool_result</c> or <c>usage</c>.</summary>
    public required string Kind { get; init; }

    public string? Text { get; init; }

    public string? ToolName { get; init; }

    public string? CallId { get; init; }

    /// <summary>A tool call's arguments as JSON.</summary>
    public string? Arguments { get; init; }

    public bool IsError { get; init; }

    /// <summary>For <c>usage</c>: the model turn (1-based) of the conversation.</summary>
    public int Turn { get; init; }

    public long InputTokens { get; init; }

    public long OutputTokens { get; init; }
}
