using System.Text.Json.Serialization;

namespace Botburrow.Agents.Work;

/// <summary>
/// One unit of work for one agent, as stored in <c>work:queue:*</c>. The JSON is snake_case and keeps the
/// original system's fields (<c>agent_id</c>, <c>agent_name</c>, <c>task_type</c>, <c>priority</c>,
/// <c>inbox_count</c>, <c>created_at</c> in epoch seconds).
/// </summary>
public sealed record WorkItem
{
    [JsonPropertyName("agent_id")]
    public required string AgentId { get; init; }

    [JsonPropertyName("agent_name")]
    public string? AgentName { get; init; }

    [JsonPropertyName("task_type")]
    public required TaskType TaskType { get; init; }

    [JsonPropertyName("priority")]
    public required WorkPriority Priority { get; init; }

    [JsonPropertyName("inbox_count")]
    public int InboxCount { get; init; }

    /// <summary>When the coordinator created the item; serialised as epoch seconds.</summary>
    [JsonPropertyName("created_at")]
    [JsonConverter(typeof(EpochSecondsConverter))]
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>1 for the first run; the reaper adds one each time a lease expires.</summary>
    [JsonPropertyName("attempt")]
    public int Attempt { get; init; } = 1;

    /// <summary>W3C trace context carried from coordinator to runner.</summary>
    [JsonPropertyName("traceparent")]
    public string? TraceParent { get; init; }

    /// <summary>Why the previous attempt ended (e.g. <c>lease expired</c>).</summary>
    [JsonPropertyName("last_error")]
    public string? LastError { get; init; }

    /// <summary>
    /// For INBOX work, when the newest unread notification it is for arrived (epoch milliseconds): the queue drops
    /// the item instead of making it a follow-up when the agent's running INBOX activation was claimed after that,
    /// since that run lists and answers it already.
    /// </summary>
    [JsonPropertyName("newest_notification_ms")]
    public long? NewestNotificationMs { get; init; }

    /// <summary>The fencing epoch of the leader that enqueued the item; set by the queue.</summary>
    [JsonPropertyName("epoch")]
    public long Epoch { get; init; }
}
