using Botburrow.Agents.Hub;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Xunit;

namespace Botburrow.Agents.Coordinator.Tests;

/// <summary>
/// The guide's "Coordinator Not Polling" seen from readiness: a leader whose polls stop getting answers (the loop
/// lives, but every poll fails) turns not ready once its last answered poll is older than a few poll rounds, and
/// says how old (the data <c>botburrow doctor --coordinator</c> reads).
/// </summary>
public sealed class PollReadinessTests
{
    [Fact]
    public async Task LeaderWhosePollsStopGettingAnswers_IsNotReady_WithTheLastPollAge()
    {
        await using var coordinator = new CoordinatorHarness(agents: "alpha");
        var failing = 0;
        coordinator.Hub.Poll = async cancellationToken =>
        {
            if (Volatile.Read(ref failing) == 1)
            {
                throw new HubException("Hub answered 500 Internal Server Error for GET /api/v1/notifications/poll");
            }

            await Task.Delay(TimeSpan.FromSeconds(30), coordinator.Time, cancellationToken);
            return InMemoryHub.TimedOut;
        };

        await coordinator.StartLeadingAsync();
        await coordinator.AdvanceUntilAsync(() => coordinator.Status.LastSuccessfulPoll is not null, "a poll to answer", step: TimeSpan.FromSeconds(1));
        var ready = (await coordinator.ReadinessAsync()).Entries["coordinator"];
        Assert.Equal(HealthStatus.Healthy, ready.Status);
        Assert.Contains("last poll ", ready.Description, StringComparison.Ordinal);
        Assert.Equal(true, ready.Data["leader"]);
        var stale = TimeSpan.FromSeconds((double)ready.Data["stale_poll_after_seconds"]);
        Assert.True((double)ready.Data["last_poll_age_seconds"] < stale.TotalSeconds);

        Volatile.Write(ref failing, 1);
        var answered = coordinator.Status.LastSuccessfulPoll!.Value;
        await coordinator.AdvanceUntilAsync(() => coordinator.Time.GetUtcNow() - (coordinator.Status.LastSuccessfulPoll ?? answered) > stale + TimeSpan.FromSeconds(1), "the last answered poll to grow old", step: TimeSpan.FromSeconds(1));

        var notReady = (await coordinator.ReadinessAsync()).Entries["coordinator"];
        Assert.Equal(HealthStatus.Unhealthy, notReady.Status);
        Assert.Contains("no poll of the Hub answered for", notReady.Description, StringComparison.Ordinal);
        Assert.Contains("poll_error", notReady.Description, StringComparison.Ordinal);
        Assert.True((double)notReady.Data["last_poll_age_seconds"] > stale.TotalSeconds);
        Assert.NotEmpty(coordinator.Logs.Named("poll_error"));
        Assert.Null(coordinator.Status.FailedLoop); // the loop lives; only its polls fail
    }
}
