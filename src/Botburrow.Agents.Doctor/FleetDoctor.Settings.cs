using Botburrow.Agents.Configuration;

namespace Botburrow.Agents.Doctor;

public sealed partial class FleetDoctor
{
    private List<DoctorFinding> CheckSettings()
    {
        var missing = new[] { SettingNames.HubUrl, SettingNames.HubApiKey, SettingNames.RedisUrl }
            .Where(name => string.IsNullOrWhiteSpace(_settings.Get(name)))
            .ToList();

        if (missing.Count == 0)
        {
            return [DoctorFinding.Ok("settings", "HUB_URL, HUB_API_KEY and REDIS_URL are set")];
        }

        var remedy = $"Set {string.Join(", ", missing)}: check the ConfigMap is mounted (kubectl get configmap -n {Namespace} botburrow-agents-config; "
            + "kubectl apply -f k8s/apexalgo-iad/configmap.yaml) and the Secret exists (kubectl get secret -n botburrow-agents botburrow-agents-secrets), "
            + $"then kubectl rollout restart deployment/coordinator -n {Namespace}";
        return [DoctorFinding.Fail("settings", $"not set: {string.Join(", ", missing)}", remedy)];
    }

    /// <summary>Which <c>SANDBOX</c> is in force and whether this host can confine children; whether this process is non-dumpable.</summary>
    private List<DoctorFinding> CheckIsolation()
    {
        var sandbox = Isolation.ChildSandbox.FromSettings(_settings, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var (confined, why) = sandbox.Describe();
        const string Remedy = "Install bubblewrap (apt-get install bubblewrap; the runner image has it) and allow unprivileged user namespaces "
            + "(sysctl kernel.unprivileged_userns_clone=1 / user.max_user_namespaces > 0, a seccomp and AppArmor profile that allow them; docs/deployment.md), "
            + "then set SANDBOX=required";
        var findings = new List<DoctorFinding>
        {
            confined ? DoctorFinding.Ok("sandbox", why)
                : sandbox.Mode == Isolation.SandboxMode.Off ? DoctorFinding.Warn("sandbox", why, "Set SANDBOX=auto or required so CLI tools and MCP servers cannot read the runner's files")
                : sandbox.Mode == Isolation.SandboxMode.Required ? DoctorFinding.Fail("sandbox", why, Remedy)
                : DoctorFinding.Warn("sandbox", why, Remedy),
        };
        if (Isolation.ProcessHardening.IsDumpable() == true)
        {
            findings.Add(DoctorFinding.Warn(
                "process.dumpable",
                "this botburrow process is dumpable: processes of its user may read its environment and memory" + (Isolation.ProcessHardening.Failure is { } failure ? $" ({failure})" : ""),
                "Run botburrow as its own executable (it makes itself non-dumpable at start); check a seccomp profile does not forbid prctl"));
        }

        return findings;
    }
}
