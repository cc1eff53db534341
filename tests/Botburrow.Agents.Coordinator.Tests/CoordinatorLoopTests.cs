using Botburrow.Agents.Definitions.Sources;
using Botburrow.Agents.Hub;
using Botburrow.Agents.ServiceDefaults.Metrics;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Xunit;

namespace Botburrow.Agents.Coordinator.Tests;

public sealed class CoordinatorLoopTests
{
    [Fact]
    public async Task Mention_IsEnqueuedAsHighPriorityInboxWork_AndAnEmptyLongPollLogsPollTimeoutAtDebug()
    {
        await using var coordinator = new CoordinatorHarness(agents: "alpha");
        await coordinator.StartLeadingAsync();
        await coordinator.AdvanceUntilAsync(() => coordinator.Logs.Named("poll_timeout").Any(), "an empty long-poll");
        Assert.All(coordinator.Logs.Named("poll_timeout"), e => Assert.Equal(LogLevel.Debug, e.Level));
        Assert.NotNull(coordinator.Status.LastSuccessfulPoll);

        coordinator.Hub.Mention("alpha", coordinator.Time.GetUtcNow());
        await coordinator.AdvanceUntilAsync(() => coordinator.Logs.Named("work_enqueued").Any(), "the mention to be enqueued", step: TimeSpan.FromSeconds(1));

        var item = await coordinator.ClaimAsync();
        Assert.NotNull(item);
        Assert.Equal("alpha", item.AgentId);
        Assert.Equal(TaskType.Inbox, item.TaskType);
        Assert.Equal(WorkPriority.High, item.Priority);
        Assert.Equal(coordinator.Leadership.Epoch, (await coordinator.Queue.GetLeaderAsync(TestContext.Current.CancellationToken)).Epoch);
    }

    [Fact]
    public async Task LeaderLossMidPoll_StopsThePollInFlight_AndPollingResumesOnlyWhenLeadingAgain()
    {
        await using var coordinator = new CoordinatorHarness(agents: "alpha");
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        coordinator.Hub.Poll = async cancellationToken =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                stopped.TrySetResult();
                throw;
            }

            return InMemoryHub.TimedOut;
        };

        await coordinator.StartLeadingAsync();
        await coordinator.AdvanceUntilAsync(() => started.Task.IsCompleted, "the long-poll to start");

        coordinator.Election.Refuse = true;
        await coordinator.AdvanceUntilAsync(() => stopped.Task.IsCompleted, "the long-poll to be stopped");
        Assert.False(coordinator.Leadership.IsLeader);
        Assert.Single(coordinator.Logs.Named("lost_leadership"));
        Assert.Single(coordinator.Logs.Named("poll_stopped_not_leader"));
        Assert.DoesNotContain(coordinator.Logs.Entries, e => e.Level >= LogLevel.Error);

        var polls = coordinator.Hub.PollCalls;
        coordinator.Time.Advance(TimeSpan.FromSeconds(3));
        await CoordinatorHarness.Settle();
        coordinator.Time.Advance(TimeSpan.FromSeconds(3));
        await CoordinatorHarness.Settle();
        Assert.Equal(polls, coordinator.Hub.PollCalls);

        coordinator.Election.Refuse = false;
        await coordinator.AdvanceUntilAsync(() => coordinator.Hub.PollCalls > polls, "polling to resume");
        Assert.True(coordinator.Leadership.IsLeader);
    }

    [Fact]
    public async Task HubWithoutLongPoll_IsListedEveryPollInterval_AndTheLongPollIsProbedAgain()
    {
        await using var coordinator = new CoordinatorHarness(agents: "alpha");
        coordinator.Hub.Poll = _ => Task.FromResult(InMemoryHub.NotAvailable);
        await coordinator.StartLeadingAsync();
        await coordinator.AdvanceUntilAsync(() => coordinator.Hub.ListCalls >= 1, "the first listing");
        var fellBack = coordinator.Time.GetUtcNow();
        Assert.Equal(1, coordinator.Hub.PollCalls);
        Assert.Equal(LogLevel.Warning, Assert.Single(coordinator.Logs.Named("long_poll_not_available_falling_back")).Level);

        await coordinator.AdvanceUntilAsync(() => coordinator.Hub.ListCalls >= 2, "the second listing", step: TimeSpan.FromSeconds(1));
        Assert.InRange(coordinator.Time.GetUtcNow() - fellBack, coordinator.Options.PollInterval, coordinator.Options.PollInterval + TimeSpan.FromSeconds(1));
        Assert.Equal(1, coordinator.Hub.PollCalls);

        await coordinator.AdvanceUntilAsync(() => coordinator.Hub.PollCalls >= 2, "the long-poll to be probed again", step: TimeSpan.FromSeconds(5));
        Assert.InRange(coordinator.Time.GetUtcNow() - fellBack, coordinator.Options.LongPollReprobe, coordinator.Options.LongPollReprobe + coordinator.Options.PollInterval + TimeSpan.FromSeconds(5));
        Assert.InRange(coordinator.Hub.ListCalls, 19, 22);
    }

    [Fact]
    public async Task FailingPolls_AreLoggedWithTheirException_AndRetriedAfterAGrowingBackoff()
    {
        await using var coordinator = new CoordinatorHarness(agents: "alpha");
        var calls = new List<DateTimeOffset>();
        coordinator.Hub.Poll = async cancellationToken =>
        {
            lock (calls)
            {
                calls.Add(coordinator.Time.GetUtcNow());
                if (calls.Count <= 3)
                {
                    throw new HubException("503 Service Unavailable");
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(30), coordinator.Time, cancellationToken);
            return InMemoryHub.TimedOut;
        };

        await coordinator.StartLeadingAsync();
        await coordinator.AdvanceUntilAsync(() => coordinator.Logs.Named("poll_error").Any(), "the first poll to fail");
        Assert.False(coordinator.Status.HubReachable);
        Assert.Null(coordinator.Status.LastSuccessfulPoll);
        await coordinator.AdvanceUntilAsync(() => coordinator.Hub.PollCalls >= 4, "the fourth poll");

        var gaps = calls.Zip(calls.Skip(1), (a, b) => b - a).Take(3).ToArray();
        Assert.InRange(gaps[0], TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2.2));
        Assert.InRange(gaps[1], TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(4.2));
        Assert.InRange(gaps[2], TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(8.2));
        var errors = coordinator.Logs.Named("poll_error").ToArray();
        Assert.Equal(3, errors.Length);
        Assert.All(errors, e => Assert.Equal(LogLevel.Error, e.Level));
        Assert.All(errors, e => Assert.IsType<HubException>(e.Exception));

        // The fourth poll is under way (it waits out its long-poll); once it answers the Hub is reachable again.
        await coordinator.AdvanceUntilAsync(() => coordinator.Status.LastSuccessfulPoll is not null, "a poll to succeed", step: TimeSpan.FromSeconds(1));
        Assert.True(coordinator.Status.HubReachable);
        Assert.Null(coordinator.Status.FailedLoop);
    }

    [Fact]
    public async Task DefinitionSourceFailingMidRun_IsLogged_PollingContinuesWithCachedDefinitions_AndReadinessReflectsIt()
    {
        await using var coordinator = new CoordinatorHarness(agents: "alpha");
        await coordinator.StartLeadingAsync();
        await coordinator.AdvanceUntilAsync(() => coordinator.Logs.Named("config_cache_prewarmed").Any(), "the definitions to load");
        Assert.Equal(HealthStatus.Healthy, (await coordinator.ReadinessAsync()).Status);

        coordinator.Source.Failing = true;
        coordinator.Definitions.Invalidate();
        coordinator.Hub.Mention("alpha", coordinator.Time.GetUtcNow());
        coordinator.Hub.Mention("beta", coordinator.Time.GetUtcNow());
        await coordinator.AdvanceUntilAsync(() => coordinator.Logs.Named("work_enqueued").Any(), "alpha's mention to be enqueued from its cached definition");

        var failure = Assert.Single(coordinator.Logs.Named("agent_config_loading_fails"));
        Assert.Equal(LogLevel.Error, failure.Level);
        Assert.IsType<AgentDefinitionSourceException>(failure.Exception);
        Assert.StartsWith("Agent config loading fails: ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Connection refused", failure.Message, StringComparison.Ordinal);
        Assert.Contains("https://deploy:****@raw.githubusercontent.com/acme/agents", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-token", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-token", failure.Exception.ToString(), StringComparison.Ordinal);
        Assert.NotNull(coordinator.Status.DefinitionsProblem);
        Assert.Equal("alpha", (await coordinator.ClaimAsync())?.AgentId);

        var polls = coordinator.Hub.PollCalls;
        await coordinator.AdvanceUntilAsync(() => coordinator.Hub.PollCalls > polls + 3, "polling to continue", step: TimeSpan.FromSeconds(1));
        Assert.Null(coordinator.Status.FailedLoop);
        Assert.Single(coordinator.Logs.Named("agent_config_loading_fails"));
        var notReady = await coordinator.ReadinessAsync();
        Assert.Equal(HealthStatus.Unhealthy, notReady.Status);
        Assert.Contains("agent config loading fails", notReady.Entries["coordinator"].Description, StringComparison.Ordinal);

        coordinator.Source.Failing = false;
        await coordinator.AdvanceUntilAsync(() => coordinator.Logs.Named("agent_config_loading_recovered").Any(), "the definitions to load again", step: TimeSpan.FromSeconds(1));
        Assert.Null(coordinator.Status.DefinitionsProblem);
        Assert.Single(coordinator.Logs.Named("agent_config_loading_recovered"));
        Assert.Equal(HealthStatus.Healthy, (await coordinator.ReadinessAsync()).Status);
    }

    [Fact]
    public async Task StalenessScan_EnqueuesDiscoveryForStaleDiscoverers_AndSurvivesAFailedScan()
    {
        await using var coordinator = new CoordinatorHarness(minStaleness: TimeSpan.FromSeconds(8));
        coordinator.WriteAgent("scout", discovery: true);
        coordinator.WriteAgent("homebody");
        var scans = 0;
        coordinator.Hub.ListStale = _ => Interlocked.Increment(ref scans) == 1
            ? throw new HttpRequestException("Connection refused")
            : Task.FromResult<IReadOnlyList<HubAgent>>([InMemoryHub.Agent("scout"), InMemoryHub.Agent("homebody")]);

        await coordinator.StartLeadingAsync();
        await coordinator.AdvanceUntilAsync(() => coordinator.Logs.Named("work_enqueued").Any(), "discovery work", step: TimeSpan.FromSeconds(1));

        var error = Assert.Single(coordinator.Logs.Named("staleness_scan_error"));
        Assert.IsType<HttpRequestException>(error.Exception);
        var item = await coordinator.ClaimAsync(RunnerMode.Exploration);
        Assert.NotNull(item);
        Assert.Equal(("scout", TaskType.Discovery, WorkPriority.Low), (item.AgentId, item.TaskType, item.Priority));
        Assert.Null(await coordinator.ClaimAsync(RunnerMode.Exploration));
    }

    [Fact]
    public async Task Reaper_RequeuesWorkWhoseLeaseExpired()
    {
        await using var coordinator = new CoordinatorHarness(agents: "alpha");
        await coordinator.StartLeadingAsync();
        var epoch = coordinator.Leadership.Epoch!.Value;
        var item = new WorkItem { AgentId = "alpha", AgentName = "alpha", TaskType = TaskType.Inbox, Priority = WorkPriority.Normal, CreatedAt = coordinator.Time.GetUtcNow() };
        Assert.Equal(EnqueueOutcome.Enqueued, await coordinator.Queue.EnqueueAsync(item, epoch, TestContext.Current.CancellationToken));
        Assert.NotNull(await coordinator.ClaimAsync());

        await coordinator.AdvanceUntilAsync(() => coordinator.Logs.Named("leases_reaped").Any(), "the expired lease to be reaped", step: TimeSpan.FromSeconds(5));
        Assert.Equal("alpha", (await coordinator.ClaimAsync())?.AgentId);
    }

    [Fact]
    public async Task WorkStoreThatStopsAnswering_EndsLeadershipAndDropsTheMetricWithinTheLease()
    {
        await using var coordinator = new CoordinatorHarness(agents: "alpha");
        await coordinator.StartLeadingAsync();
        var gauge = FleetMetrics.CoordinatorIsLeader.WithLabels(coordinator.InstanceId);
        Assert.Equal(1, gauge.Value);

        var hungAt = coordinator.Time.GetUtcNow();
        coordinator.Election.Hang = true;
        await coordinator.AdvanceUntilAsync(() => gauge.Value == 0 && !coordinator.Leadership.IsLeader, "leadership to end");

        Assert.InRange(coordinator.Time.GetUtcNow() - hungAt, TimeSpan.Zero, coordinator.Options.LeaderLease);
        Assert.NotEmpty(coordinator.Logs.Named("leader_election_timeout"));
        Assert.All(coordinator.Logs.Named("leader_election_timeout"), e => Assert.IsType<TaskCanceledException>(e.Exception, exactMatch: false));
        Assert.Single(coordinator.Logs.Named("lost_leadership"));
        Assert.Null(coordinator.Status.FailedLoop);
    }

    [Fact]
    public async Task StoreClockAhead_RenewalHangs_LeadershipGaugeAndReadinessDropWithinTheLeaseOfTheLastRenewal()
    {
        await using var coordinator = new CoordinatorHarness(agents: "alpha");
        coordinator.Election.ClockAhead = TimeSpan.FromMinutes(5);
        await coordinator.StartLeadingAsync();
        var gauge = FleetMetrics.CoordinatorIsLeader.WithLabels(coordinator.InstanceId);
        await coordinator.AdvanceUntilAsync(() => gauge.Value == 1, "the gauge to show leadership");
        Assert.True((bool)(await coordinator.ReadinessAsync()).Entries["coordinator"].Data["leader"]);

        // The last renewal that answered starts the count: the store's own expiry, minutes later by its clock, does not.
        var attempts = Volatile.Read(ref coordinator.Election.Attempts);
        await coordinator.AdvanceUntilAsync(() => Volatile.Read(ref coordinator.Election.Attempts) > attempts, "a renewal");
        var lastRenewal = coordinator.Time.GetTimestamp();
        coordinator.Election.Hang = true;
        await coordinator.AdvanceUntilAsync(() => gauge.Value == 0 && !coordinator.Leadership.IsLeader, "leadership to end", limit: TimeSpan.FromMinutes(10));

        Assert.InRange(coordinator.Time.GetElapsedTime(lastRenewal), TimeSpan.Zero, coordinator.Options.LeaderLease);
        Assert.False((bool)(await coordinator.ReadinessAsync()).Entries["coordinator"].Data["leader"]);
        Assert.Single(coordinator.Logs.Named("lost_leadership"));
    }

    [Fact]
    public async Task LoopThatCannotSurvive_LogsCritical_TurnsReadinessFalse_AndStopsTheApplicationWithANonZeroExitCode()
    {
        await using var coordinator = new CoordinatorHarness(agents: "alpha");
        coordinator.Hub.Poll = _ => throw new ObjectDisposedException("HubClient");
        var lifetime = coordinator.App.Services.GetRequiredService<IHostApplicationLifetime>();
        try
        {
            await coordinator.StartLeadingAsync();
            await coordinator.AdvanceUntilAsync(() => lifetime.ApplicationStopping.IsCancellationRequested, "the application to stop");

            var died = Assert.Single(coordinator.Logs.Named("coordinator_loop_died"));
            Assert.Equal(LogLevel.Critical, died.Level);
            Assert.IsType<ObjectDisposedException>(died.Exception);
            Assert.Contains("hub_watch", died.Message, StringComparison.Ordinal);
            Assert.Equal("hub_watch", coordinator.Status.FailedLoop);
            Assert.Equal(1, Environment.ExitCode);
            Assert.Equal(HealthStatus.Unhealthy, (await coordinator.ReadinessAsync()).Status);
        }
        finally
        {
            Environment.ExitCode = 0;
        }
    }

    [Fact]
    public void AddCoordinator_RefusesOptionsOutOfRange()
    {
        var services = new ServiceCollection();
        var settings = Configuration.SettingsLoader.Load(new Dictionary<string, string?>());
        var options = new CoordinatorOptions { InstanceId = "c1", PollInterval = TimeSpan.Zero, PollBatchSize = 0 };

        var ex = Assert.Throws<OptionsValidationException>(() => services.AddCoordinator(settings, options));
        Assert.Contains(ex.Failures, f => f.Contains("POLL_INTERVAL", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("PollBatchSize", StringComparison.Ordinal));
    }
}
