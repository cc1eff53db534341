using System.Text.Json.Serialization;

namespace Botburrow.Agents.Work;

/// <summary>Which queue an item waits in. On the wire: <c>high</c>, <c>normal</c> or <c>low</c>.</summary>
public enum WorkPriority
{
    /// <summary><c>work:queue:high</c>: INBOX work with a mention or DM.</summary>
    [JsonStringEnumMemberName("high")]
    High,

    /// <summary><c>work:queue:normal</c>: other INBOX work.</summary>
    [JsonStringEnumMemberName("normal")]
    Normal,

    /// <summary><c>work:queue:low</c>: DISCOVERY work.</summary>
    [JsonStringEnumMemberName("low")]
    Low,
}
