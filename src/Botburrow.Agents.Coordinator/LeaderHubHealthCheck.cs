using Botburrow.Agents.Hub;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Botburrow.Agents.Coordinator;

/// <summary>For the leader, ready only while the Hub answers its health endpoint; followers do not need the Hub.</summary>
internal sealed class LeaderHubHealthCheck : IHealthCheck
{
    private readonly CoordinatorService _coordinator;
    private readonly IHubClient _hub;

    public LeaderHubHealthCheck(CoordinatorService coordinator, IHubClient hub)
    {
        _coordinator = coordinator;
        _hub = hub;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!_coordinator.IsLeader)
        {
            return HealthCheckResult.Healthy("follower: the Hub is the leader's concern");
        }

        try
        {
            await _hub.GetHealthAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy($"leader (epoch {_coordinator.Epoch}); Hub reachable");
        }
        catch (Exception ex) when (ex is HubException or HttpRequestException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"leader, but the Hub is unreachable: {ex.Message}");
        }
    }
}
