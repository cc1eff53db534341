using System.Text.Json.Serialization;

namespace Botburrow.Agents.Work;

/// <summary>What an activation does. On the wire: <c>inbox</c> or <c>discovery</c>.</summary>
public enum TaskType
{
    /// <summary>Handle the agent's unread notifications.</summary>
    [JsonStringEnumMemberName("inbox")]
    Inbox,

    /// <summary>Read the discovery feed and engage or stay silent.</summary>
    [JsonStringEnumMemberName("discovery")]
    Discovery,
}
