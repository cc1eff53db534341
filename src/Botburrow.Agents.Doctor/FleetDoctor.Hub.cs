using System.Diagnostics;
using System.Net;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Hub;

namespace Botburrow.Agents.Doctor;

public sealed partial class FleetDoctor
{
    private async Task<List<DoctorFinding>> CheckHubAsync(IHubClient? hub, CancellationToken cancellationToken)
    {
        const string reachRemedy = "Test the Hub from the coordinator pod: kubectl exec -n botburrow-agents coordinator-xxx -- curl -v $HUB_URL/api/v1/health; "
            + "check HUB_URL (in-cluster: http://hub.botburrow.svc.cluster.local:8000)";
        if (hub is null || _settings.HubUrl is null)
        {
            return [DoctorFinding.Fail("hub.reachable", "HUB_URL is not set; Hub checks were skipped", "Set HUB_URL. " + reachRemedy)];
        }

        var url = SecretMasker.MaskUrl(_settings.HubUrl.ToString());
        var findings = new List<DoctorFinding>();
        try
        {
            var started = Stopwatch.GetTimestamp();
            var health = await hub.GetHealthAsync(cancellationToken);
            findings.Add(DoctorFinding.Ok("hub.reachable", $"{url} answered /api/v1/health ({health.Status}) in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms"));
        }
        catch (Exception ex) when (ex is HubException or HttpRequestException or TaskCanceledException or TimeoutException)
        {
            findings.Add(DoctorFinding.Fail("hub.reachable", $"{url}: {ex.Message}", reachRemedy));
            return findings;
        }

        try
        {
            await hub.ListNotificationsAsync(null, unreadOnly: true, limit: 1, cancellationToken: cancellationToken);
            findings.Add(DoctorFinding.Ok("hub.key", "HUB_API_KEY accepted (GET /api/v1/notifications)"));
        }
        catch (HubException ex) when (ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            findings.Add(DoctorFinding.Fail(
                "hub.key",
                $"the Hub refused HUB_API_KEY: {ex.Message}",
                "Check the HUB_API_KEY secret: kubectl get secret -n botburrow-agents botburrow-agents-secrets -o yaml; "
                + "recreate it: kubectl create secret generic botburrow-agents-secrets --from-literal=HUB_API_KEY=... -n botburrow-agents"));
            return findings;
        }
        catch (Exception ex) when (ex is HubException or HttpRequestException or TaskCanceledException or TimeoutException)
        {
            findings.Add(DoctorFinding.Fail("hub.key", $"keyed GET /api/v1/notifications failed: {ex.Message}", reachRemedy));
            return findings;
        }

        try
        {
            var poll = await hub.PollAsync(LongPollProbe, 1, cancellationToken);
            findings.Add(poll.Status == HubPollStatus.NotAvailable
                ? DoctorFinding.Warn(
                    "hub.long_poll",
                    "the Hub has no long-poll; the coordinator lists agents every POLL_INTERVAL instead (log long_poll_not_available_falling_back)",
                    $"Upgrade the Hub for immediate wake-ups, or lower POLL_INTERVAL (now {Seconds(_settings.PollInterval)})")
                : DoctorFinding.Ok("hub.long_poll", $"long-poll supported ({poll.Status.ToString().ToLowerInvariant()}; timeouts are expected: poll_timeout)"));
        }
        catch (Exception ex) when (ex is HubException or HttpRequestException or TaskCanceledException or TimeoutException)
        {
            findings.Add(DoctorFinding.Warn("hub.long_poll", $"long-poll probe failed: {ex.Message}", reachRemedy));
        }

        return findings;
    }
}
