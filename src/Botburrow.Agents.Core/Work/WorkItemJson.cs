using System.Text.Json;

namespace Botburrow.Agents.Work;

/// <summary>The one JSON form of <see cref="WorkItem"/> and <see cref="DeadLetter"/> used by every backend.</summary>
public static class WorkItemJson
{
    public static string Serialize(WorkItem item) => JsonSerializer.Serialize(item, WorkJsonContext.Default.WorkItem);

    /// <summary>Reads an item; throws <see cref="JsonException"/> naming the problem when the text is not one.</summary>
    public static WorkItem Deserialize(string json)
    {
        var item = JsonSerializer.Deserialize(json, WorkJsonContext.Default.WorkItem) ?? throw new JsonException("work item JSON is null");

        // Items written by the original system carry no attempt: that is their first.
        return item.Attempt < 1 ? item with { Attempt = 1 } : item;
    }

    public static string SerializeDead(DeadLetter dead) => JsonSerializer.Serialize(dead, WorkJsonContext.Default.DeadLetter);

    public static DeadLetter DeserializeDead(string json)
        => JsonSerializer.Deserialize(json, WorkJsonContext.Default.DeadLetter) ?? throw new JsonException("dead letter JSON is null");

    public static string SerializeRecent(RecentActivation recent) => JsonSerializer.Serialize(recent, WorkJsonContext.Default.RecentActivation);

    public static RecentActivation DeserializeRecent(string json)
        => JsonSerializer.Deserialize(json, WorkJsonContext.Default.RecentActivation) ?? throw new JsonException("recent activation JSON is null");
}
