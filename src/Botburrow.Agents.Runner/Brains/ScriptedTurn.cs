using System.Text.Json;
using System.Text.Json.Serialization;

namespace Botburrow.Agents.Runner.Brains;

/// <summary>One canned model turn of a scripted brain.</summary>
public sealed record ScriptedTurn
{
    /// <summary>The text of the answer. <c>{{quote}}</c> is replaced by the content the agent was asked about, <c>{{tool_result}}</c> by the last tool result in the conversation.</summary>
    [JsonPropertyName("text")]
    public string? Text { get; init; }

    /// <summary>When set, the text ends with a line <c>CONFIDENCE &lt;value&gt;</c>, as a model states how sure it is (DISCOVERY <c>min_confidence</c>).</summary>
    [JsonPropertyName("confidence")]
    public double? Confidence { get; init; }

    [JsonPropertyName("tool_calls")]
    public IReadOnlyList<ScriptedToolCall> ToolCalls { get; init; } = [];

    [JsonPropertyName("usage")]
    public ScriptedUsage? Usage { get; init; }

    /// <summary>Wait this long before answering (as a slow model would).</summary>
    [JsonPropertyName("delay_ms")]
    public int DelayMilliseconds { get; init; }

    /// <summary>Never answer: wait until the activation is cancelled (as a hung model would).</summary>
    [JsonPropertyName("hang")]
    public bool Hang { get; init; }
}

/// <summary>A tool call a scripted turn makes.</summary>
public sealed record ScriptedToolCall
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("arguments")]
    public Dictionary<string, JsonElement> Arguments { get; init; } = [];
}

/// <summary>Token usage a scripted turn reports.</summary>
public sealed record ScriptedUsage
{
    [JsonPropertyName("input_tokens")]
    public long InputTokens { get; init; }

    [JsonPropertyName("output_tokens")]
    public long OutputTokens { get; init; }
}
