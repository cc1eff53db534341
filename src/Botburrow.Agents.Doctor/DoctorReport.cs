using System.Text.Json.Serialization;

namespace Botburrow.Agents.Doctor;

/// <summary>Everything <c>botburrow doctor</c> found, in check order.</summary>
public sealed record DoctorReport
{
    [JsonPropertyName("findings")]
    public required IReadOnlyList<DoctorFinding> Findings { get; init; }

    /// <summary>True when any check failed (the command then exits 1).</summary>
    [JsonPropertyName("failed")]
    public bool Failed => Findings.Any(f => f.Status == DoctorStatus.Fail);

    [JsonPropertyName("counts")]
    public IReadOnlyDictionary<string, int> Counts => new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["ok"] = Findings.Count(f => f.Status == DoctorStatus.Ok),
        ["info"] = Findings.Count(f => f.Status == DoctorStatus.Info),
        ["warn"] = Findings.Count(f => f.Status == DoctorStatus.Warn),
        ["fail"] = Findings.Count(f => f.Status == DoctorStatus.Fail),
    };
}
