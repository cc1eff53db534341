using System.Text.Json.Serialization;

namespace Botburrow.Agents.Doctor;

/// <summary>One finding of <c>botburrow doctor</c>: which check, its status, what was seen and what to do.</summary>
public sealed record DoctorFinding
{
    /// <summary>The check's stable id, e.g. <c>redis</c>, <c>queue.unclaimed</c>, <c>agent.credentials</c>.</summary>
    [JsonPropertyName("check")]
    public required string Check { get; init; }

    [JsonPropertyName("status")]
    public required DoctorStatus Status { get; init; }

    /// <summary>What the finding is about (an agent, a queue, an activation), when not the whole fleet.</summary>
    [JsonPropertyName("subject")]
    public string? Subject { get; init; }

    [JsonPropertyName("seen")]
    public required string Seen { get; init; }

    /// <summary>What to do about it (empty when nothing is needed).</summary>
    [JsonPropertyName("remedy")]
    public string Remedy { get; init; } = "";

    public static DoctorFinding Ok(string check, string seen, string? subject = null)
        => new() { Check = check, Status = DoctorStatus.Ok, Seen = seen, Subject = subject };

    public static DoctorFinding Info(string check, string seen, string remedy, string? subject = null)
        => new() { Check = check, Status = DoctorStatus.Info, Seen = seen, Remedy = remedy, Subject = subject };

    public static DoctorFinding Warn(string check, string seen, string remedy, string? subject = null)
        => new() { Check = check, Status = DoctorStatus.Warn, Seen = seen, Remedy = remedy, Subject = subject };

    public static DoctorFinding Fail(string check, string seen, string remedy, string? subject = null)
        => new() { Check = check, Status = DoctorStatus.Fail, Seen = seen, Remedy = remedy, Subject = subject };
}
