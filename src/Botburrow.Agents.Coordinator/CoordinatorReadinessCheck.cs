using Botburrow.Agents.Hub;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Botburrow.Agents.Coordinator;

/// <summary>
/// Readiness of a coordinator: never ready once one of its loops died (the process is stopping). A follower is
/// ready otherwise, since the Hub and the definitions are the leader's concern; the leader is ready only while the
/// Hub answers its health endpoint, agent definitions load and its poll loop polls: a leader whose last poll that
/// answered is older than <see cref="StalePollAfter"/> is not ready (the loop is stuck or every poll fails). The
/// result's data carries <c>leader</c>, <c>epoch</c> and <c>last_poll_age_seconds</c> for <c>botburrow doctor</c>.
/// </summary>
internal sealed class CoordinatorReadinessCheck : IHealthCheck
{
    private static readonly TimeSpan HubTimeout = TimeSpan.FromSeconds(5);
    private readonly LeadershipState _leadership;
    private readonly CoordinatorStatus _status;
    private readonly IHubClient _hub;
    private readonly TimeProvider _timeProvider;
    private readonly CoordinatorOptions _options;

    public CoordinatorReadinessCheck(LeadershipState leadership, CoordinatorStatus status, IHubClient hub, TimeProvider timeProvider, CoordinatorOptions options)
    {
        _leadership = leadership;
        _status = status;
        _hub = hub;
        _timeProvider = timeProvider;
        _options = options;
    }

    /// <summary>Three poll rounds: a long-poll (or a listing interval) and the idle re-poll, three times over.</summary>
    public static TimeSpan StalePollAfter(CoordinatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var round = (options.LongPollTimeout > options.PollInterval ? options.LongPollTimeout : options.PollInterval) + options.IdleRepoll;
        return round * 3;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_status.FailedLoop is { } loop)
        {
            return HealthCheckResult.Unhealthy($"the coordinator's {loop} loop died; the process is stopping");
        }

        if (_leadership.Epoch is not { } epoch)
        {
            return HealthCheckResult.Healthy("follower: the Hub is the leader's concern", new Dictionary<string, object> { ["leader"] = false });
        }

        var age = _status.PollAge(epoch, _timeProvider.GetUtcNow());
        var data = new Dictionary<string, object>
        {
            ["leader"] = true,
            ["epoch"] = epoch,
            ["last_poll_age_seconds"] = Math.Round(age.TotalSeconds, 1),
            ["stale_poll_after_seconds"] = StalePollAfter(_options).TotalSeconds,
        };

        try
        {
            await _hub.GetHealthAsync(cancellationToken).WaitAsync(HubTimeout, _timeProvider, cancellationToken);
        }
        catch (Exception ex) when (ex is HubException or HttpRequestException or TimeoutException)
        {
            return HealthCheckResult.Unhealthy($"leader, but the Hub is unreachable: {ex.Message}", data: data);
        }

        if (_status.DefinitionsProblem is { } problem)
        {
            return HealthCheckResult.Unhealthy($"leader (epoch {epoch}), but agent config loading fails: {problem}", data: data);
        }

        var seconds = age.TotalSeconds.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        return age > StalePollAfter(_options)
            ? HealthCheckResult.Unhealthy($"leader (epoch {epoch}), but no poll of the Hub answered for {seconds} s: the poll loop is stuck or every poll fails (see poll_error)", data: data)
            : HealthCheckResult.Healthy($"leader (epoch {epoch}); Hub reachable; last poll {seconds} s ago", data);
    }
}
