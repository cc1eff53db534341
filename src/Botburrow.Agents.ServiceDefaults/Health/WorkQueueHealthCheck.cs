using Botburrow.Agents.Work;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Botburrow.Agents.ServiceDefaults.Health;

/// <summary>Ready only while the work store (Redis, or the embedded queue) answers.</summary>
public sealed class WorkQueueHealthCheck : IHealthCheck
{
    private readonly ILeaderElection _election;

    public WorkQueueHealthCheck(ILeaderElection election)
    {
        _election = election;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var leader = await _election.GetLeaderAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
            return HealthCheckResult.Healthy(leader.InstanceId is null ? "work store reachable; no leader" : $"work store reachable; leader {leader.InstanceId}");
        }
        catch (Exception ex) when (ex is WorkQueueUnavailableException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"work store unreachable: {ex.Message}");
        }
    }
}
