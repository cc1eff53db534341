using Botburrow.Agents.Hub;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Botburrow.Agents.Coordinator;

/// <summary>
/// Readiness of a coordinator: never ready once one of its loops died (the process is stopping). A follower is
/// ready otherwise, since the Hub and the definitions are the leader's concern; the leader is ready only while the
/// Hub answers its health endpoint and agent definitions load.
/// </summary>
internal sealed class CoordinatorReadinessCheck : IHealthCheck
{
    private static readonly TimeSpan HubTimeout = TimeSpan.FromSeconds(5);
    private readonly LeadershipState _leadership;
    private readonly CoordinatorStatus _status;
    private readonly IHubClient _hub;
    private readonly TimeProvider _timeProvider;

    public CoordinatorReadinessCheck(LeadershipState leadership, CoordinatorStatus status, IHubClient hub, TimeProvider timeProvider)
    {
        _leadership = leadership;
        _status = status;
        _hub = hub;
        _timeProvider = timeProvider;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_status.FailedLoop is { } loop)
        {
            return HealthCheckResult.Unhealthy($"the coordinator's {loop} loop died; the process is stopping");
        }

        if (_leadership.Epoch is not { } epoch)
        {
            return HealthCheckResult.Healthy("follower: the Hub is the leader's concern");
        }

        try
        {
            await _hub.GetHealthAsync(cancellationToken).WaitAsync(HubTimeout, _timeProvider, cancellationToken);
        }
        catch (Exception ex) when (ex is HubException or HttpRequestException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"leader, but the Hub is unreachable: {ex.Message}");
        }

        return _status.DefinitionsProblem is { } problem
            ? HealthCheckResult.Unhealthy($"leader (epoch {epoch}), but agent config loading fails: {problem}")
            : HealthCheckResult.Healthy($"leader (epoch {epoch}); Hub reachable");
    }
}
