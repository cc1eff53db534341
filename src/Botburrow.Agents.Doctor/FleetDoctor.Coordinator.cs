using System.Globalization;
using System.Text.Json;

namespace Botburrow.Agents.Doctor;

public sealed partial class FleetDoctor
{
    private const string PollRemedy = "Look at the leader's poll errors: kubectl logs -n botburrow-agents -l app.kubernetes.io/name=coordinator | grep -i \"poll_error\\|poll_timeout\"; "
        + "test the Hub from the pod (curl -v $HUB_URL/api/v1/health); if it stays stuck, restart it: kubectl rollout restart deployment/coordinator -n botburrow-agents";

    /// <summary>
    /// The guide's "Coordinator Not Polling": the leader's <c>/health/ready</c> (at <c>--coordinator</c>) tells how long
    /// ago a poll of the Hub last answered; older than a few poll rounds fails.
    /// </summary>
    private static async Task<List<DoctorFinding>> CheckCoordinatorAsync(DoctorTargets targets, CancellationToken cancellationToken)
    {
        const string check = "coordinator.poll";
        if (targets.Coordinator is not { } coordinator || targets.Http is not { } http)
        {
            return [DoctorFinding.Info(check, "not checked: no coordinator address given", "Run botburrow doctor --coordinator http://coordinator.botburrow-agents.svc.cluster.local:9090 (or http://127.0.0.1:9090 next to botburrow up) to check the leader's poll loop")];
        }

        var url = new Uri(coordinator, "/health/ready");
        JsonDocument document;
        try
        {
            using var response = await http.GetAsync(url, cancellationToken);
            document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return [DoctorFinding.Fail(check, $"the coordinator at {coordinator} did not answer GET /health/ready: {ex.Message}", "Check the coordinator runs: kubectl get pods -n botburrow-agents -l app.kubernetes.io/name=coordinator; kubectl logs --previous shows why it stopped")];
        }

        using (document)
        {
            if (!document.RootElement.TryGetProperty("checks", out var checks) || !checks.TryGetProperty("coordinator", out var entry))
            {
                return [DoctorFinding.Fail(check, $"{coordinator} is not a coordinator (its /health/ready has no coordinator check)", "Point --coordinator at the coordinator's metrics port (9090)")];
            }

            var healthy = entry.GetProperty("status").GetString() == "Healthy";
            var description = entry.TryGetProperty("description", out var d) ? d.GetString() ?? "" : "";
            var data = entry.TryGetProperty("data", out var dataElement) && dataElement.ValueKind == JsonValueKind.Object ? dataElement : default;
            if (data.ValueKind != JsonValueKind.Object || !data.TryGetProperty("leader", out var leader) || !leader.GetBoolean())
            {
                return healthy
                    ? [DoctorFinding.Info(check, $"the coordinator at {coordinator} follows ({description}); only the leader polls", "Ask the leader (the leader check names it): kubectl port-forward -n botburrow-agents pod/LEADER 9090:9090, then --coordinator http://127.0.0.1:9090")]
                    : [DoctorFinding.Fail(check, $"the coordinator at {coordinator} is not ready: {description}", PollRemedy)];
            }

            var age = data.GetProperty("last_poll_age_seconds").GetDouble();
            var stale = data.GetProperty("stale_poll_after_seconds").GetDouble();
            var ageText = age.ToString("0.#", CultureInfo.InvariantCulture);
            if (age > stale)
            {
                return [DoctorFinding.Fail(check, $"the leader's last poll of the Hub answered {ageText} s ago (more than {stale.ToString("0.#", CultureInfo.InvariantCulture)} s): its poll loop is stuck or every poll fails", PollRemedy)];
            }

            return healthy
                ? [DoctorFinding.Ok(check, $"the leader polled {ageText} s ago")]
                : [DoctorFinding.Fail(check, $"the leader polled {ageText} s ago, but is not ready: {description}", PollRemedy)];
        }
    }
}
