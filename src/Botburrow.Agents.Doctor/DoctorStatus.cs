using System.Text.Json.Serialization;

namespace Botburrow.Agents.Doctor;

/// <summary>How a doctor check came out. On the wire: <c>ok</c>, <c>info</c>, <c>warn</c>, <c>fail</c>.</summary>
public enum DoctorStatus
{
    [JsonStringEnumMemberName("ok")]
    Ok,

    /// <summary>Not a problem in itself, but worth knowing when a symptom is being chased (an agent that never answers mentions).</summary>
    [JsonStringEnumMemberName("info")]
    Info,

    [JsonStringEnumMemberName("warn")]
    Warn,

    [JsonStringEnumMemberName("fail")]
    Fail,
}
