using System.Text.Json.Serialization;

namespace Botburrow.Agents.Doctor;

/// <summary>How a doctor check came out. On the wire: <c>ok</c>, <c>warn</c>, <c>fail</c>.</summary>
public enum DoctorStatus
{
    [JsonStringEnumMemberName("ok")]
    Ok,

    [JsonStringEnumMemberName("warn")]
    Warn,

    [JsonStringEnumMemberName("fail")]
    Fail,
}
