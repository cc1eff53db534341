using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Botburrow.Agents.Work.Tests;

/// <summary>
/// The one contract both backends pass. Time is a <see cref="FakeTimeProvider"/> (the Redis backend then passes
/// the client's time into its scripts), so leases and backoff are tested without sleeping.
/// </summary>
public abstract partial class WorkQueueContractTests : IAsyncDisposable
{
    protected static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    protected FakeTimeProvider Time { get; } = new(Start);

    protected static WorkQueueOptions DefaultOptions => new()
    {
        LeaseDuration = TimeSpan.FromSeconds(15),
        MaxAttempts = 3,
        BreakerMaxFailures = 5,
        BreakerBaseBackoff = TimeSpan.FromSeconds(60),
        BreakerMaxBackoff = TimeSpan.FromSeconds(3600),
        HybridLowShareEvery = 5,
        HeartbeatTtl = TimeSpan.FromSeconds(15),
    };

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A fresh, empty store of the backend under test.</summary>
    protected abstract Task<(IWorkQueue Queue, ILeaderElection Election)> CreateAsync(WorkQueueOptions options);

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }

    protected async Task<(IWorkQueue Queue, ILeaderElection Election, long Epoch)> LeadAsync(WorkQueueOptions? options = null)
    {
        var (queue, election) = await CreateAsync(options ?? DefaultOptions);
        var lease = await election.TryAcquireOrRenewAsync("coordinator-a", TimeSpan.FromHours(1), Ct);
        Assert.NotNull(lease);
        return (queue, election, lease.Epoch);
    }

    protected WorkItem Item(string agent, WorkPriority priority = WorkPriority.High, string? tag = null) => new()
    {
        AgentId = agent,
        AgentName = agent + "-name",
        TaskType = priority == WorkPriority.Low ? TaskType.Discovery : TaskType.Inbox,
        Priority = priority,
        InboxCount = priority == WorkPriority.Low ? 0 : 2,
        CreatedAt = Time.GetUtcNow(),
        TraceParent = tag,
    };

    private static RunnerHeartbeat Beat(string runner, RunnerMode mode = RunnerMode.Hybrid) => new()
    {
        RunnerId = runner,
        Mode = mode,
        Concurrency = 2,
        InFlight = 1,
        StartedAt = Start,
    };

    [Fact]
    public async Task Claim_ReturnsItemsFifoWithinAPriority_WithActivationRecord()
    {
        var (queue, _, epoch) = await LeadAsync();
        Assert.Equal(EnqueueOutcome.Enqueued, await queue.EnqueueAsync(Item("a1", WorkPriority.Normal), epoch, Ct));
        Assert.Equal(EnqueueOutcome.Enqueued, await queue.EnqueueAsync(Item("a2", WorkPriority.Normal), epoch, Ct));

        var first = await queue.TryClaimAsync("r1", RunnerMode.Notification, Ct);
        var second = await queue.TryClaimAsync("r1", RunnerMode.Notification, Ct);
        Assert.Null(await queue.TryClaimAsync("r1", RunnerMode.Notification, Ct));

        Assert.Equal("a1", first!.Item.AgentId);
        Assert.Equal("a2", second!.Item.AgentId);
        Assert.Equal("a1-name", first.Item.AgentName);
        Assert.Equal(TaskType.Inbox, first.Item.TaskType);
        Assert.Equal(2, first.Item.InboxCount);
        Assert.Equal(1, first.Item.Attempt);
        Assert.Equal(epoch, first.Epoch);
        Assert.Equal(Time.GetUtcNow(), first.ClaimedAt);
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromSeconds(15), first.LeaseExpiresAt);
        Assert.NotEqual(first.ActivationId, second.ActivationId);

        var info = await queue.GetActivationAsync(first.ActivationId, Ct);
        Assert.NotNull(info);
        Assert.Equal("a1", info.AgentId);
        Assert.Equal("r1", info.RunnerId);
        Assert.Equal(WorkPriority.Normal, info.Priority);
        Assert.Equal(1, info.Attempt);
        Assert.Equal(epoch, info.Epoch);
        Assert.Equal(first.LeaseExpiresAt, info.LeaseExpiresAt);
        Assert.Equal(2, (await queue.ListActivationsAsync(Ct)).Count);
    }

    [Fact]
    public async Task Modes_NotificationTakesHighThenNormal_ExplorationOnlyLow()
    {
        var (queue, _, epoch) = await LeadAsync();
        await queue.EnqueueAsync(Item("low", WorkPriority.Low), epoch, Ct);
        await queue.EnqueueAsync(Item("normal", WorkPriority.Normal), epoch, Ct);
        await queue.EnqueueAsync(Item("high", WorkPriority.High), epoch, Ct);

        Assert.Equal("high", (await queue.TryClaimAsync("n", RunnerMode.Notification, Ct))!.Item.AgentId);
        Assert.Equal("normal", (await queue.TryClaimAsync("n", RunnerMode.Notification, Ct))!.Item.AgentId);
        Assert.Null(await queue.TryClaimAsync("n", RunnerMode.Notification, Ct));
        var low = await queue.TryClaimAsync("e", RunnerMode.Exploration, Ct);
        Assert.Equal("low", low!.Item.AgentId);
        Assert.Equal(TaskType.Discovery, low.Item.TaskType);

        await queue.EnqueueAsync(Item("high2", WorkPriority.High), epoch, Ct);
        Assert.Null(await queue.TryClaimAsync("e", RunnerMode.Exploration, Ct));
    }

    [Fact]
    public async Task Hybrid_TakesPriorityOrder_WithLowOnEveryNthClaim()
    {
        var (queue, _, epoch) = await LeadAsync(DefaultOptions with { HybridLowShareEvery = 3 });
        for (var i = 0; i < 6; i++)
        {
            await queue.EnqueueAsync(Item($"h{i}", WorkPriority.High), epoch, Ct);
            await queue.EnqueueAsync(Item($"n{i}", WorkPriority.Normal), epoch, Ct);
            await queue.EnqueueAsync(Item($"l{i}", WorkPriority.Low), epoch, Ct);
        }

        var order = new List<string>();
        for (var i = 0; i < 18; i++)
        {
            order.Add((await queue.TryClaimAsync("h", RunnerMode.Hybrid, Ct))!.Item.AgentId);
        }

        // Every third claim takes low while it has items; the rest go high, then normal, then the remaining low.
        Assert.Equal(
            ["h0", "h1", "l0", "h2", "h3", "l1", "h4", "h5", "l2", "n0", "n1", "l3", "n2", "n3", "l4", "n4", "n5", "l5"],
            order);
    }

    [Fact]
    public async Task Enqueue_ForAQueuedAgent_IsAlreadyQueued_AndUpgradesToTheHigherPriority()
    {
        var (queue, _, epoch) = await LeadAsync();
        Assert.Equal(EnqueueOutcome.Enqueued, await queue.EnqueueAsync(Item("a", WorkPriority.Low), epoch, Ct));
        Assert.Equal(EnqueueOutcome.AlreadyQueued, await queue.EnqueueAsync(Item("a", WorkPriority.Low), epoch, Ct));
        Assert.Equal(EnqueueOutcome.AlreadyQueued, await queue.EnqueueAsync(Item("a", WorkPriority.High), epoch, Ct));
        Assert.Equal(EnqueueOutcome.AlreadyQueued, await queue.EnqueueAsync(Item("a", WorkPriority.Normal), epoch, Ct));

        var stats = await queue.GetStatsAsync(Ct);
        Assert.Equal(1, stats.Depths[WorkPriority.High]);
        Assert.Equal(0, stats.Depths[WorkPriority.Normal]);
        Assert.Equal(0, stats.Depths[WorkPriority.Low]);
        var claimed = await queue.TryClaimAsync("r", RunnerMode.Notification, Ct);
        Assert.Equal(WorkPriority.High, claimed!.Item.Priority);
        Assert.Null(await queue.TryClaimAsync("r", RunnerMode.Hybrid, Ct));
    }

    [Fact]
    public async Task Enqueue_ForARunningAgent_CoalescesIntoOneFollowUp_EnqueuedWhenTheRunEnds()
    {
        var (queue, _, epoch) = await LeadAsync();
        await queue.EnqueueAsync(Item("a", WorkPriority.Normal), epoch, Ct);
        var run = await queue.TryClaimAsync("r", RunnerMode.Hybrid, Ct);
        Assert.Equal(EnqueueOutcome.CoalescedIntoFollowUp, await queue.EnqueueAsync(Item("a", WorkPriority.Low), epoch, Ct));
        Assert.Equal(EnqueueOutcome.CoalescedIntoFollowUp, await queue.EnqueueAsync(Item("a", WorkPriority.High), epoch, Ct));
        Assert.Equal(EnqueueOutcome.CoalescedIntoFollowUp, await queue.EnqueueAsync(Item("a", WorkPriority.Normal), epoch, Ct));

        // Never two runs of one agent: nothing to claim while it runs.
        Assert.Null(await queue.TryClaimAsync("r2", RunnerMode.Hybrid, Ct));
        Assert.Equal(1, (await queue.GetStatsAsync(Ct)).FollowUps);

        // The follow-up is enqueued even though the run failed.
        await queue.CompleteAsync(run!, WorkOutcome.Failed, "boom", Ct);
        var followUp = await queue.TryClaimAsync("r2", RunnerMode.Hybrid, Ct);
        Assert.NotNull(followUp);
        Assert.Equal(WorkPriority.High, followUp.Item.Priority);
        Assert.Equal(1, followUp.Item.Attempt);
        await queue.CompleteAsync(followUp, WorkOutcome.Succeeded, null, Ct);
        Assert.Null(await queue.TryClaimAsync("r2", RunnerMode.Hybrid, Ct));
        var stats = await queue.GetStatsAsync(Ct);
        Assert.Equal(0, stats.FollowUps);
        Assert.Equal(0, stats.Active);
    }

    [Fact]
    public async Task Enqueue_WithAStaleEpoch_IsRefused()
    {
        var (queue, election) = await CreateAsync(DefaultOptions);
        Assert.Equal(EnqueueOutcome.StaleEpoch, await queue.EnqueueAsync(Item("a"), 0, Ct));

        var a = await election.TryAcquireOrRenewAsync("a", TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(EnqueueOutcome.Enqueued, await queue.EnqueueAsync(Item("a"), a!.Epoch, Ct));

        // A's lease lapses (a pause, a partition): with nobody leading its epoch is refused already.
        Time.Advance(TimeSpan.FromSeconds(11));
        Assert.Equal(EnqueueOutcome.StaleEpoch, await queue.EnqueueAsync(Item("b"), a.Epoch, Ct));

        var b = await election.TryAcquireOrRenewAsync("b", TimeSpan.FromSeconds(10), Ct);
        Assert.True(b!.Acquired);
        Assert.Equal(a.Epoch + 1, b.Epoch);
        Assert.Equal(EnqueueOutcome.StaleEpoch, await queue.EnqueueAsync(Item("c"), a.Epoch, Ct));
        Assert.Equal(EnqueueOutcome.Enqueued, await queue.EnqueueAsync(Item("c"), b.Epoch, Ct));
        Assert.Equal(2, (await queue.GetStatsAsync(Ct)).Depths[WorkPriority.High]);
    }

    [Fact]
    public async Task LeaderElection_OneLeader_RenewKeepsEpoch_ReleaseHandsOver()
    {
        var (_, election) = await CreateAsync(DefaultOptions);
        var a = await election.TryAcquireOrRenewAsync("a", TimeSpan.FromSeconds(10), Ct);
        Assert.NotNull(a);
        Assert.True(a.Acquired);
        Assert.Null(await election.TryAcquireOrRenewAsync("b", TimeSpan.FromSeconds(10), Ct));

        Time.Advance(TimeSpan.FromSeconds(5));
        var renewed = await election.TryAcquireOrRenewAsync("a", TimeSpan.FromSeconds(10), Ct);
        Assert.False(renewed!.Acquired);
        Assert.Equal(a.Epoch, renewed.Epoch);
        Time.Advance(TimeSpan.FromSeconds(8));
        Assert.Null(await election.TryAcquireOrRenewAsync("b", TimeSpan.FromSeconds(10), Ct));

        var leader = await election.GetLeaderAsync(Ct);
        Assert.Equal("a", leader.InstanceId);
        Assert.Equal(a.Epoch, leader.Epoch);

        Assert.False(await election.ReleaseAsync(new LeaderLease { InstanceId = "b", Epoch = a.Epoch }, Ct));
        Assert.True(await election.ReleaseAsync(renewed, Ct));
        Assert.Null((await election.GetLeaderAsync(Ct)).InstanceId);
        var b = await election.TryAcquireOrRenewAsync("b", TimeSpan.FromSeconds(10), Ct);
        Assert.True(b!.Acquired);
        Assert.Equal(a.Epoch + 1, b.Epoch);
        Assert.Equal("b", (await election.GetLeaderAsync(Ct)).InstanceId);
    }

    [Fact]
    public async Task ExpiredLeases_AreRequeuedWithTheNextAttempt_ThenDeadLettered()
    {
        var (queue, _, epoch) = await LeadAsync();
        await queue.EnqueueAsync(Item("a", WorkPriority.Normal), epoch, Ct);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var claimed = await queue.TryClaimAsync($"r{attempt}", RunnerMode.Hybrid, Ct);
            Assert.NotNull(claimed);
            Assert.Equal(attempt, claimed.Item.Attempt);
            Assert.Equal(attempt == 1 ? null : "lease expired", claimed.Item.LastError);
            Assert.Equal(0, await queue.ReapAsync(Ct));
            Time.Advance(TimeSpan.FromSeconds(16));
            Assert.Equal(1, await queue.ReapAsync(Ct));
        }

        Assert.Null(await queue.TryClaimAsync("r", RunnerMode.Hybrid, Ct));
        var dead = Assert.Single(await queue.ListDeadAsync(Ct));
        Assert.Equal("a", dead.Item.AgentId);
        Assert.Equal(3, dead.Item.Attempt);
        Assert.Equal("lease expired", dead.LastError);
        var stats = await queue.GetStatsAsync(Ct);
        Assert.Equal(1, stats.Dead);
        Assert.Equal(0, stats.Active);

        Assert.False(await queue.RequeueDeadAsync("no-such-id", Ct));
        Assert.True(await queue.RequeueDeadAsync(dead.Id, Ct));
        Assert.Empty(await queue.ListDeadAsync(Ct));
        var again = await queue.TryClaimAsync("r", RunnerMode.Hybrid, Ct);
        Assert.Equal(1, again!.Item.Attempt);
    }

    [Fact]
    public async Task Heartbeat_ExtendsLeases_AndWritesTheRunnerHeartbeat()
    {
        var (queue, _, epoch) = await LeadAsync();
        await queue.EnqueueAsync(Item("a"), epoch, Ct);
        var claimed = await queue.TryClaimAsync("r1", RunnerMode.Hybrid, Ct);
        for (var i = 0; i < 4; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(10));
            var cancelled = await queue.HeartbeatAsync(Beat("r1"), [claimed!.ActivationId], Ct);
            Assert.Empty(cancelled);
            Assert.Equal(0, await queue.ReapAsync(Ct));
        }

        var info = await queue.GetActivationAsync(claimed!.ActivationId, Ct);
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromSeconds(15), info!.LeaseExpiresAt);
        var runner = Assert.Single((await queue.GetStatsAsync(Ct)).Runners);
        Assert.Equal("r1", runner.RunnerId);
        Assert.Equal("hybrid", runner.Mode);
        Assert.Equal(2, runner.Concurrency);
        Assert.Equal(1, runner.InFlight);

        // Another runner cannot extend it: it is reported as not (or no longer) its own.
        Assert.Equal([claimed.ActivationId], await queue.HeartbeatAsync(Beat("r2"), [claimed.ActivationId], Ct));
    }

    [Fact]
    public async Task StoppedActivation_IsReportedByTheNextHeartbeat_AndCompletedAsCancelledWithoutRetry()
    {
        var (queue, _, epoch) = await LeadAsync();
        await queue.EnqueueAsync(Item("a"), epoch, Ct);
        var claimed = await queue.TryClaimAsync("r1", RunnerMode.Hybrid, Ct);
        await queue.EnqueueAsync(Item("a", WorkPriority.Low), epoch, Ct);

        Assert.True(await queue.StopActivationAsync(claimed!.ActivationId, Ct));
        Assert.False(await queue.StopActivationAsync(claimed.ActivationId, Ct));
        Assert.Null(await queue.GetActivationAsync(claimed.ActivationId, Ct));
        Assert.Equal([claimed.ActivationId], await queue.HeartbeatAsync(Beat("r1"), [claimed.ActivationId], Ct));

        await queue.CompleteAsync(claimed, WorkOutcome.Cancelled, null, Ct);
        Time.Advance(TimeSpan.FromSeconds(60));
        await queue.ReapAsync(Ct);
        Assert.Empty(await queue.ListBackoffAsync(Ct));
        Assert.Empty(await queue.ListDeadAsync(Ct));

        // Not retried: only the follow-up that arrived during the run is left.
        var next = await queue.TryClaimAsync("r1", RunnerMode.Hybrid, Ct);
        Assert.Equal(WorkPriority.Low, next!.Item.Priority);
        Assert.Equal(1, next.Item.Attempt);
        Assert.Null(await queue.TryClaimAsync("r1", RunnerMode.Hybrid, Ct));
    }

    [Fact]
    public async Task StoppedActivation_OfADeadRunner_IsCleanedUpByTheReaper()
    {
        var (queue, _, epoch) = await LeadAsync();
        await queue.EnqueueAsync(Item("a"), epoch, Ct);
        var claimed = await queue.TryClaimAsync("r1", RunnerMode.Hybrid, Ct);
        await queue.StopActivationAsync(claimed!.ActivationId, Ct);
        Assert.Equal(EnqueueOutcome.CoalescedIntoFollowUp, await queue.EnqueueAsync(Item("a"), epoch, Ct));

        Time.Advance(TimeSpan.FromSeconds(16));
        Assert.True(await queue.ReapAsync(Ct) >= 1);
        var followUp = await queue.TryClaimAsync("r2", RunnerMode.Hybrid, Ct);
        Assert.Equal(1, followUp!.Item.Attempt);
        Assert.Null(followUp.Item.LastError);
        Assert.Empty(await queue.ListDeadAsync(Ct));
    }

    [Fact]
    public async Task ActiveEntries_ListWorkActive_IncludingAnEntryWhoseRecordWasDeleted()
    {
        var (queue, _, epoch) = await LeadAsync();
        await queue.EnqueueAsync(Item("a"), epoch, Ct);
        await queue.EnqueueAsync(Item("b"), epoch, Ct);
        var first = await queue.TryClaimAsync("r1", RunnerMode.Hybrid, Ct);
        var second = await queue.TryClaimAsync("r1", RunnerMode.Hybrid, Ct);
        await queue.StopActivationAsync(second!.ActivationId, Ct);

        var active = await queue.ListActiveEntriesAsync(Ct);

        Assert.Equal(2, active.Count);
        Assert.Equal(first!.ActivationId, active[first.Item.AgentId]);
        Assert.Equal(second.ActivationId, active[second.Item.AgentId]);
        Assert.Equal([first.ActivationId], (await queue.ListActivationsAsync(Ct)).Select(a => a.ActivationId));
    }

    [Fact]
    public async Task Recent_ListsCompletedActivations_NewestFirst_Capped()
    {
        var (queue, _, epoch) = await LeadAsync();
        Assert.Empty(await queue.ListRecentAsync(Ct));
        await queue.EnqueueAsync(Item("a"), epoch, Ct);
        var failed = await queue.TryClaimAsync("r1", RunnerMode.Hybrid, Ct);
        Time.Advance(TimeSpan.FromSeconds(2));
        await queue.CompleteAsync(failed!, WorkOutcome.Failed, "boom", Ct);
        await queue.EnqueueAsync(Item("b", WorkPriority.Low), epoch, Ct);
        var succeeded = await queue.TryClaimAsync("r2", RunnerMode.Hybrid, Ct);
        await queue.CompleteAsync(succeeded!, WorkOutcome.Succeeded, null, Ct);

        var recent = await queue.ListRecentAsync(Ct);

        Assert.Equal([succeeded!.ActivationId, failed!.ActivationId], recent.Select(r => r.ActivationId));
        Assert.Equal("succeeded", recent[0].Outcome);
        Assert.Equal(TaskType.Discovery, recent[0].TaskType);
        Assert.Equal("r2", recent[0].RunnerId);
        Assert.Equal("failed", recent[1].Outcome);
        Assert.Equal("boom", recent[1].Error);
        Assert.Equal("a", recent[1].AgentId);
        Assert.Equal(1, recent[1].Attempt);
        Assert.InRange((recent[1].FinishedAt - recent[1].ClaimedAt).TotalSeconds, 1, 3);

        for (var i = 0; i < RecentActivation.Capacity + 5; i++)
        {
            await queue.EnqueueAsync(Item("c"), epoch, Ct);
            var claimed = await queue.TryClaimAsync("r1", RunnerMode.Hybrid, Ct);
            await queue.CompleteAsync(claimed!, WorkOutcome.Succeeded, null, Ct);
        }

        Assert.Equal(RecentActivation.Capacity, (await queue.ListRecentAsync(Ct)).Count);
    }

    [Fact]
    public async Task Breaker_FiveFailuresBackOff_DoublingToTheMax_BudgetAndCancelDoNotCount()
    {
        var (queue, _, epoch) = await LeadAsync();
        async Task RunAsync(WorkOutcome outcome)
        {
            Assert.Equal(EnqueueOutcome.Enqueued, await queue.EnqueueAsync(Item("x"), epoch, Ct));
            var claimed = await queue.TryClaimAsync("r", RunnerMode.Hybrid, Ct);
            await queue.CompleteAsync(claimed!, outcome, outcome == WorkOutcome.Failed ? "boom" : null, Ct);
        }

        for (var i = 0; i < 4; i++)
        {
            await RunAsync(WorkOutcome.Failed);
        }

        await RunAsync(WorkOutcome.RefusedByBudget);
        await RunAsync(WorkOutcome.Cancelled);
        var entry = Assert.Single(await queue.ListBackoffAsync(Ct));
        Assert.Equal(4, entry.Failures);
        Assert.Null(entry.Until);

        await RunAsync(WorkOutcome.Failed);
        entry = Assert.Single(await queue.ListBackoffAsync(Ct));
        Assert.Equal(5, entry.Failures);
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromSeconds(60), entry.Until);
        Assert.Equal(EnqueueOutcome.InBackoff, await queue.EnqueueAsync(Item("x"), epoch, Ct));
        Assert.Equal(1, (await queue.GetStatsAsync(Ct)).InBackoff);

        // Expiry lets work in again; the next failure doubles the backoff.
        Time.Advance(TimeSpan.FromSeconds(61));
        await RunAsync(WorkOutcome.Failed);
        entry = Assert.Single(await queue.ListBackoffAsync(Ct));
        Assert.Equal(6, entry.Failures);
        Assert.Equal(Time.GetUtcNow() + TimeSpan.FromSeconds(120), entry.Until);

        // The reaper clears an expired backoff (the failure count stays until a success).
        Time.Advance(TimeSpan.FromSeconds(121));
        await queue.ReapAsync(Ct);
        entry = Assert.Single(await queue.ListBackoffAsync(Ct));
        Assert.Null(entry.Until);
        Assert.Equal(6, entry.Failures);

        await RunAsync(WorkOutcome.Succeeded);
        Assert.Empty(await queue.ListBackoffAsync(Ct));
    }

    [Fact]
    public async Task Breaker_BackoffIsCappedAtTheMaximum()
    {
        var (queue, _, epoch) = await LeadAsync(DefaultOptions with { BreakerMaxFailures = 1, BreakerBaseBackoff = TimeSpan.FromSeconds(60), BreakerMaxBackoff = TimeSpan.FromSeconds(100) });
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(EnqueueOutcome.Enqueued, await queue.EnqueueAsync(Item("x"), epoch, Ct));
            await queue.CompleteAsync((await queue.TryClaimAsync("r", RunnerMode.Hybrid, Ct))!, WorkOutcome.Failed, "boom", Ct);
            var entry = Assert.Single(await queue.ListBackoffAsync(Ct));
            Assert.Equal(Time.GetUtcNow() + TimeSpan.FromSeconds(i == 0 ? 60 : 100), entry.Until);
            Time.Advance(TimeSpan.FromSeconds(101));
        }
    }

    [Fact]
    public async Task ClearBackoff_ResetsFailuresAndBackoff_ForOneAgentOrAll()
    {
        var (queue, _, epoch) = await LeadAsync(DefaultOptions with { BreakerMaxFailures = 1 });
        foreach (var agent in new[] { "x", "y", "z" })
        {
            await queue.EnqueueAsync(Item(agent), epoch, Ct);
            await queue.CompleteAsync((await queue.TryClaimAsync("r", RunnerMode.Hybrid, Ct))!, WorkOutcome.Failed, "boom", Ct);
        }

        Assert.Equal(3, (await queue.ListBackoffAsync(Ct)).Count);
        Assert.Equal(1, await queue.ClearBackoffAsync("x", Ct));
        Assert.Equal(0, await queue.ClearBackoffAsync("x", Ct));
        Assert.Equal(EnqueueOutcome.Enqueued, await queue.EnqueueAsync(Item("x"), epoch, Ct));
        Assert.Equal(2, await queue.ClearBackoffAsync(null, Ct));
        Assert.Empty(await queue.ListBackoffAsync(Ct));
        Assert.Equal(EnqueueOutcome.Enqueued, await queue.EnqueueAsync(Item("y"), epoch, Ct));
    }

    [Fact]
    public async Task HandBack_PutsTheItemAtTheFrontWithTheSameAttempt()
    {
        var (queue, _, epoch) = await LeadAsync();
        await queue.EnqueueAsync(Item("a", WorkPriority.Normal), epoch, Ct);
        await queue.EnqueueAsync(Item("b", WorkPriority.Normal), epoch, Ct);
        var a = await queue.TryClaimAsync("r", RunnerMode.Hybrid, Ct);
        await queue.HandBackAsync(a!, Ct);
        Assert.Equal(0, (await queue.GetStatsAsync(Ct)).Active);

        var again = await queue.TryClaimAsync("r2", RunnerMode.Hybrid, Ct);
        Assert.Equal("a", again!.Item.AgentId);
        Assert.Equal(1, again.Item.Attempt);
        Assert.NotEqual(a!.ActivationId, again.ActivationId);

        // A late completion of the handed-back activation changes nothing.
        await queue.CompleteAsync(a, WorkOutcome.Failed, "late", Ct);
        Assert.Empty(await queue.ListBackoffAsync(Ct));
        Assert.NotNull(await queue.GetActivationAsync(again.ActivationId, Ct));
    }

    [Fact]
    public async Task LateCompletion_AfterTheLeaseWasReaped_DoesNotDisturbTheRetry()
    {
        var (queue, _, epoch) = await LeadAsync();
        await queue.EnqueueAsync(Item("a"), epoch, Ct);
        var first = await queue.TryClaimAsync("r1", RunnerMode.Hybrid, Ct);
        Time.Advance(TimeSpan.FromSeconds(16));
        await queue.ReapAsync(Ct);
        Assert.NotEmpty(await queue.HeartbeatAsync(Beat("r1"), [first!.ActivationId], Ct));
        var second = await queue.TryClaimAsync("r2", RunnerMode.Hybrid, Ct);
        Assert.Equal(2, second!.Item.Attempt);

        await queue.CompleteAsync(first, WorkOutcome.Failed, "late", Ct);
        Assert.Empty(await queue.ListBackoffAsync(Ct));
        Assert.Empty(await queue.HeartbeatAsync(Beat("r2"), [second.ActivationId], Ct));
        Assert.Equal(1, (await queue.GetStatsAsync(Ct)).Active);
    }

    [Fact]
    public async Task FencingToken_GrowsWithEveryClaim_AndTheLeaseCheckSaysWhoHoldsTheWork()
    {
        var (queue, _, epoch) = await LeadAsync();
        await queue.EnqueueAsync(Item("a"), epoch, Ct);
        var first = (await queue.TryClaimAsync("r1", RunnerMode.Hybrid, Ct))!;
        Assert.Equal(LeaseState.Held, await queue.CheckLeaseAsync(first, Ct));
        Assert.Equal(LeaseState.TakenOver, await queue.CheckLeaseAsync(first with { FencingToken = first.FencingToken + 1 }, Ct));
        Assert.Equal(LeaseState.TakenOver, await queue.CheckLeaseAsync(first with { RunnerId = "r2" }, Ct));

        Time.Advance(TimeSpan.FromSeconds(16));
        Assert.Equal(LeaseState.Expired, await queue.CheckLeaseAsync(first, Ct));
        await queue.ReapAsync(Ct);
        Assert.Equal(LeaseState.Gone, await queue.CheckLeaseAsync(first, Ct));

        var second = await queue.TryClaimAsync("r2", RunnerMode.Hybrid, Ct);
        Assert.True(second!.FencingToken > first.FencingToken, $"token {second.FencingToken} after {first.FencingToken}");
        Assert.Equal(LeaseState.Held, await queue.CheckLeaseAsync(second, Ct));

        Assert.True(await queue.StopActivationAsync(second.ActivationId, Ct));
        Assert.Equal(LeaseState.StoppedByOperator, await queue.CheckLeaseAsync(second, Ct));
    }

    [Fact]
    public async Task StaleCompletion_WithAnOldFencingToken_IsRefused_AndFeedsNoBreaker()
    {
        var (queue, _, epoch) = await LeadAsync(DefaultOptions with { BreakerMaxFailures = 1 });
        await queue.EnqueueAsync(Item("a"), epoch, Ct);
        var claimed = await queue.TryClaimAsync("r1", RunnerMode.Hybrid, Ct);

        // Same runner, same activation id, but a token that is not the claim's: refused.
        await queue.CompleteAsync(claimed! with { FencingToken = claimed.FencingToken + 7 }, WorkOutcome.Failed, "stale", Ct);
        Assert.Empty(await queue.ListBackoffAsync(Ct));
        Assert.NotNull(await queue.GetActivationAsync(claimed.ActivationId, Ct));
        await queue.HandBackAsync(claimed with { FencingToken = claimed.FencingToken + 7 }, Ct);
        Assert.NotNull(await queue.GetActivationAsync(claimed.ActivationId, Ct));

        // The holder's own completion counts once.
        await queue.CompleteAsync(claimed, WorkOutcome.Failed, "boom", Ct);
        var entry = Assert.Single(await queue.ListBackoffAsync(Ct));
        Assert.Equal(1, entry.Failures);
    }

    [Fact]
    public async Task OperatorStop_BacksTheAgentOff_BeforeItsFollowUpCanStartItAgain()
    {
        var (queue, _, epoch) = await LeadAsync();
        await queue.EnqueueAsync(Item("a"), epoch, Ct);
        var claimed = await queue.TryClaimAsync("r1", RunnerMode.Hybrid, Ct);
        Assert.Equal(EnqueueOutcome.CoalescedIntoFollowUp, await queue.EnqueueAsync(Item("a"), epoch, Ct));

        Assert.True(await queue.StopActivationAsync(claimed!.ActivationId, Ct));
        await queue.CompleteAsync(claimed, WorkOutcome.StoppedByOperator, "stopped by an operator", Ct);

        var backoff = Assert.Single(await queue.ListBackoffAsync(Ct));
        Assert.Equal("a", backoff.AgentId);
        Assert.Equal(0, backoff.Failures);
        Assert.True(backoff.Until >= Time.GetUtcNow() + TimeSpan.FromSeconds(59), $"backoff until {backoff.Until}");
        Assert.Null(await queue.TryClaimAsync("r2", RunnerMode.Hybrid, Ct));
        Assert.Equal(EnqueueOutcome.InBackoff, await queue.EnqueueAsync(Item("a"), epoch, Ct));

        // Lifted by an operator: the agent runs again.
        Assert.Equal(1, await queue.ClearBackoffAsync("a", Ct));
        Assert.Equal(EnqueueOutcome.Enqueued, await queue.EnqueueAsync(Item("a"), epoch, Ct));
        Assert.NotNull(await queue.TryClaimAsync("r2", RunnerMode.Hybrid, Ct));
    }

    [Fact]
    public async Task Stats_ReportDepthsAgesActiveDeadAndRunners()
    {
        var (queue, _, epoch) = await LeadAsync();
        await queue.EnqueueAsync(Item("h", WorkPriority.High), epoch, Ct);
        Time.Advance(TimeSpan.FromSeconds(10));
        await queue.EnqueueAsync(Item("h2", WorkPriority.High), epoch, Ct);
        await queue.EnqueueAsync(Item("l", WorkPriority.Low), epoch, Ct);
        await queue.EnqueueAsync(Item("n", WorkPriority.Normal), epoch, Ct);
        await queue.TryClaimAsync("r", RunnerMode.Notification, Ct);
        await queue.HeartbeatAsync(Beat("r", RunnerMode.Notification), [], Ct);
        await queue.HeartbeatAsync(Beat("e", RunnerMode.Exploration), [], Ct);
        Time.Advance(TimeSpan.FromSeconds(5));

        var stats = await queue.GetStatsAsync(Ct);
        Assert.Equal(1, stats.Depths[WorkPriority.High]);
        Assert.Equal(1, stats.Depths[WorkPriority.Normal]);
        Assert.Equal(1, stats.Depths[WorkPriority.Low]);
        Assert.Equal(TimeSpan.FromSeconds(5), stats.OldestAge[WorkPriority.High]);
        Assert.Equal(1, stats.Active);
        Assert.Equal(0, stats.Dead);
        Assert.Equal(["e:exploration", "r:notification"], stats.Runners.Select(r => r.RunnerId + ":" + r.Mode));
    }

    [Fact]
    public async Task WaitForWork_ReturnsOnANudge_OrAfterMaxWait()
    {
        var (queue, _, epoch) = await LeadAsync();
        await queue.WaitForWorkAsync(RunnerMode.Hybrid, TimeSpan.Zero, Ct);

        var waiting = queue.WaitForWorkAsync(RunnerMode.Hybrid, TimeSpan.FromHours(1), Ct);
        Assert.False(waiting.IsCompleted);
        await queue.EnqueueAsync(Item("a"), epoch, Ct);
        await waiting.WaitAsync(TestConstants.DefaultTimeout, Ct);

        var idle = queue.WaitForWorkAsync(RunnerMode.Hybrid, TimeSpan.FromSeconds(1), Ct);
        Time.Advance(TimeSpan.FromSeconds(2));
        await idle.WaitAsync(TestConstants.DefaultTimeout, Ct);
    }

    [Fact]
    public async Task InboxWork_ForNotificationsTheRunningInboxRunSees_IsDropped_NewerOnesBecomeAFollowUp()
    {
        var (queue, _, epoch) = await LeadAsync();
        await queue.EnqueueAsync(Item("a"), epoch, Ct);
        var work = (await queue.TryClaimAsync("runner-1", RunnerMode.Hybrid, Ct))!;
        var claimedMs = work.ClaimedAt.ToUnixTimeMilliseconds();

        // Its newest notification arrived before the claim: the running activation lists and answers it.
        Assert.Equal(EnqueueOutcome.AnsweredByRunningActivation, await queue.EnqueueAsync(Item("a") with { NewestNotificationMs = claimedMs - 500 }, epoch, Ct));
        await queue.CompleteAsync(work, WorkOutcome.Succeeded, cancellationToken: Ct);
        Assert.Null(await queue.TryClaimAsync("runner-1", RunnerMode.Hybrid, Ct)); // nothing left behind

        // A notification newer than the claim still becomes a follow-up.
        await queue.EnqueueAsync(Item("b"), epoch, Ct);
        var second = (await queue.TryClaimAsync("runner-1", RunnerMode.Hybrid, Ct))!;
        Assert.Equal(EnqueueOutcome.CoalescedIntoFollowUp, await queue.EnqueueAsync(Item("b") with { NewestNotificationMs = second.ClaimedAt.ToUnixTimeMilliseconds() + 500 }, epoch, Ct));
        await queue.CompleteAsync(second, WorkOutcome.Succeeded, cancellationToken: Ct);
        Assert.Equal("b", (await queue.TryClaimAsync("runner-1", RunnerMode.Hybrid, Ct))?.Item.AgentId);
    }

    [Fact]
    public async Task WaitForCompletion_ReturnsWhenAnActivationCompletes_OrAfterMaxWait()
    {
        var (queue, _, epoch) = await LeadAsync();
        await queue.EnqueueAsync(Item("a"), epoch, Ct);
        var work = (await queue.TryClaimAsync("runner-1", RunnerMode.Hybrid, Ct))!;
        await queue.WaitForCompletionAsync(TimeSpan.Zero, Ct); // subscribes (Redis) without waiting

        var waiting = queue.WaitForCompletionAsync(TimeSpan.FromHours(1), Ct);
        Assert.False(waiting.IsCompleted);
        await queue.CompleteAsync(work, WorkOutcome.Succeeded, cancellationToken: Ct);
        await waiting.WaitAsync(TestConstants.DefaultTimeout, Ct);

        var idle = queue.WaitForCompletionAsync(TimeSpan.FromSeconds(1), Ct);
        Time.Advance(TimeSpan.FromSeconds(2));
        await idle.WaitAsync(TestConstants.DefaultTimeout, Ct);
    }

    [Fact]
    public async Task WorkItem_JsonKeepsTheOriginalFields()
    {
        var json = WorkItemJson.Serialize(Item("a", WorkPriority.Normal) with { CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(1764432000123) });
        Assert.Contains("\"agent_id\":\"a\"", json, StringComparison.Ordinal);
        Assert.Contains("\"agent_name\":\"a-name\"", json, StringComparison.Ordinal);
        Assert.Contains("\"task_type\":\"inbox\"", json, StringComparison.Ordinal);
        Assert.Contains("\"priority\":\"normal\"", json, StringComparison.Ordinal);
        Assert.Contains("\"inbox_count\":2", json, StringComparison.Ordinal);
        Assert.Contains("\"created_at\":1764432000.123", json, StringComparison.Ordinal);

        var original = WorkItemJson.Deserialize("""{"agent_id":"x","agent_name":"X","task_type":"discovery","priority":"low","inbox_count":0,"created_at":1764432000.5}""");
        Assert.Equal(TaskType.Discovery, original.TaskType);
        Assert.Equal(WorkPriority.Low, original.Priority);
        Assert.Equal(1, original.Attempt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1764432000500), original.CreatedAt);
        await Task.CompletedTask;
    }
}
