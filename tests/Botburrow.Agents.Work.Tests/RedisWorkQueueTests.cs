using System.Diagnostics;
using Botburrow.Agents.Redis;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using StackExchange.Redis;
using Xunit;

namespace Botburrow.Agents.Work.Tests;

/// <summary>Redis-only behaviour with real time: crashes (SIGKILL), cancellation by <c>DEL</c>, failover, the guide's keys and the CLI.</summary>
public sealed class RedisWorkQueueTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IAsyncDisposable
{
    private readonly List<RedisConnection> _connections = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }

    private async Task<RedisWorkQueue> QueueAsync(WorkQueueOptions options, string? url = null)
    {
        redis.EnsureAvailable();
        var connection = await RedisConnection.ConnectAsync(url ?? redis.Url);
        _connections.Add(connection);
        return new RedisWorkQueue(connection, options);
    }

    private static string Prefix() => "t:" + Guid.NewGuid().ToString("N")[..12] + ":";

    private static WorkItem Item(string agent, WorkPriority priority = WorkPriority.High) => new()
    {
        AgentId = agent,
        TaskType = priority == WorkPriority.Low ? TaskType.Discovery : TaskType.Inbox,
        Priority = priority,
    };

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan? within = null)
        where T : class
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < (within ?? TestConstants.DefaultTimeout))
        {
            if (await probe() is { } value)
            {
                return value;
            }

            await Task.Delay(50, Ct);
        }

        throw new TimeoutException("condition not met in time");
    }

    [Fact]
    public async Task SigkilledClaimer_ItsItemIsRetriedWithTheNextAttempt_ThenDeadLettered()
    {
        var prefix = Prefix();
        var lease = TimeSpan.FromSeconds(1);
        var reapInterval = TimeSpan.FromMilliseconds(250);
        var queue = await QueueAsync(new WorkQueueOptions { KeyPrefix = prefix, LeaseDuration = lease, MaxAttempts = 3 });
        var leader = await queue.TryAcquireOrRenewAsync("coordinator", TimeSpan.FromMinutes(5), Ct);
        Assert.Equal(EnqueueOutcome.Enqueued, await queue.EnqueueAsync(Item("crashy"), leader!.Epoch, Ct));

        using var stopReaper = new CancellationTokenSource();
        var reaper = Task.Run(async () =>
        {
            while (!stopReaper.IsCancellationRequested)
            {
                await queue.ReapAsync(CancellationToken.None);
                await Task.Delay(reapInterval, CancellationToken.None);
            }
        }, Ct);

        var child = ChildProcess.StartClaimer("claim", redis.Url, prefix, "runner-1", "1000");
        var claimed = (await child.WaitForLineAsync("CLAIMED", Ct)).Split(' ');
        Assert.Equal("1", claimed[2]);
        for (var attempt = 2; attempt <= 3; attempt++)
        {
            // The next runner is already waiting when the current one dies.
            var next = ChildProcess.StartClaimer("claim", redis.Url, prefix, $"runner-{attempt}", "1000");
            await Task.Delay(lease * 2, Ct); // the dying runner heartbeats meanwhile: no reap while it lives
            Assert.Equal(1, (await queue.GetStatsAsync(Ct)).Active);
            var killedAt = Stopwatch.StartNew();
            child.Kill();
            await child.DisposeAsync();
            claimed = (await next.WaitForLineAsync("CLAIMED", Ct)).Split(' ');
            Assert.Equal(attempt.ToString(System.Globalization.CultureInfo.InvariantCulture), claimed[2]);
            Assert.True(killedAt.Elapsed < lease + reapInterval + TimeSpan.FromSeconds(5), $"reclaimed after {killedAt.Elapsed}");
            child = next;
        }

        child.Kill();
        await child.DisposeAsync();
        var dead = await EventuallyAsync(async () => (await queue.ListDeadAsync(Ct)).SingleOrDefault());
        await stopReaper.CancelAsync();
        await reaper;
        Assert.Equal("crashy", dead.Item.AgentId);
        Assert.Equal(3, dead.Item.Attempt);
        Assert.Equal("lease expired", dead.LastError);
        Assert.Equal(claimed[1], dead.Id);
        Assert.Null(await queue.TryClaimAsync("runner-x", RunnerMode.Hybrid, Ct));
        Assert.Equal(0, (await queue.GetStatsAsync(Ct)).Active);
    }

    [Fact]
    public async Task DelActivation_FromAnotherConnection_CancelsTheRunWithinOneHeartbeat_AndItIsNotRetried()
    {
        var prefix = Prefix();
        var heartbeat = TimeSpan.FromMilliseconds(200);
        var queue = await QueueAsync(new WorkQueueOptions { KeyPrefix = prefix, LeaseDuration = TimeSpan.FromSeconds(1) });
        var leader = await queue.TryAcquireOrRenewAsync("coordinator", TimeSpan.FromMinutes(5), Ct);
        await queue.EnqueueAsync(Item("victim"), leader!.Epoch, Ct);
        var claimed = await queue.TryClaimAsync("runner-1", RunnerMode.Hybrid, Ct);
        Assert.NotNull(claimed);

        // The runner's side: a run that only ends when cancelled, and a heartbeat loop that cancels what it reports.
        using var run = new CancellationTokenSource();
        var cancelledAt = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        TimeSpan deletedAt = default;
        run.Token.Register(() => cancelledAt.TrySetResult(clock.Elapsed - deletedAt));
        var beats = Task.Run(async () =>
        {
            while (!run.IsCancellationRequested)
            {
                var cancelled = await queue.HeartbeatAsync(new RunnerHeartbeat { RunnerId = "runner-1", Mode = RunnerMode.Hybrid, InFlight = 1 }, [claimed.ActivationId], CancellationToken.None);
                if (cancelled.Contains(claimed.ActivationId))
                {
                    await run.CancelAsync();
                    await queue.CompleteAsync(claimed, WorkOutcome.Cancelled, "stopped by operator", CancellationToken.None);
                    return;
                }

                await Task.Delay(heartbeat, CancellationToken.None);
            }
        }, Ct);

        await Task.Delay(heartbeat * 3, Ct);
        Assert.False(run.IsCancellationRequested);
        await using (var other = await ConnectionMultiplexer.ConnectAsync(redis.Url.Replace("redis://", "", StringComparison.Ordinal)))
        {
            deletedAt = clock.Elapsed;
            Assert.True(await other.GetDatabase().KeyDeleteAsync(prefix + "activation:" + claimed.ActivationId));
        }

        var latency = await cancelledAt.Task.WaitAsync(TestConstants.DefaultTimeout, Ct);
        await beats;
        Assert.True(latency < heartbeat + TimeSpan.FromSeconds(2), $"cancelled after {latency}");

        // Not retried: nothing queued, nothing dead, no breaker entry, even after the lease would have expired.
        await Task.Delay(TimeSpan.FromSeconds(1.2), Ct);
        await queue.ReapAsync(Ct);
        Assert.Null(await queue.TryClaimAsync("runner-2", RunnerMode.Hybrid, Ct));
        Assert.Empty(await queue.ListDeadAsync(Ct));
        Assert.Empty(await queue.ListBackoffAsync(Ct));
        Assert.Equal(0, (await queue.GetStatsAsync(Ct)).Active);
    }

    [Fact]
    public async Task TwoCoordinators_KilledLeaderFailsOver_StoppedLeaderIsFenced_ReleaseHandsOver()
    {
        var prefix = Prefix();
        const int ttlMs = 1500;
        var queue = await QueueAsync(new WorkQueueOptions { KeyPrefix = prefix });
        await using var a = ChildProcess.StartClaimer("lead", redis.Url, prefix, "coordinator-a", ttlMs.ToString(System.Globalization.CultureInfo.InvariantCulture), "200");
        var epochA = long.Parse((await a.WaitForLineAsync("LEADER", Ct))[7..], System.Globalization.CultureInfo.InvariantCulture);
        await using var b = ChildProcess.StartClaimer("lead", redis.Url, prefix, "coordinator-b", ttlMs.ToString(System.Globalization.CultureInfo.InvariantCulture), "200");
        await b.WaitForLineAsync("FOLLOWER", Ct);
        Assert.Equal("coordinator-a", (await queue.GetLeaderAsync(Ct)).InstanceId);

        // SIGKILL the leader: the other leads within the lease (plus one poll), with the next epoch.
        var killedAt = Stopwatch.StartNew();
        a.Kill();
        var epochB = long.Parse((await b.WaitForLineAsync("LEADER", Ct))[7..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(epochA + 1, epochB);
        Assert.True(killedAt.Elapsed < TimeSpan.FromMilliseconds(ttlMs) + TimeSpan.FromSeconds(5), $"failover took {killedAt.Elapsed}");
        await b.WriteLineAsync("enqueue fresh-agent");
        Assert.Equal("ENQUEUE Enqueued", await b.WaitForLineAsync("ENQUEUE", Ct));

        // SIGSTOP the new leader: its lease lapses and a third instance takes over; resumed, its enqueue is refused.
        await b.SignalAsync("STOP");
        var c = await EventuallyAsync(() => queue.TryAcquireOrRenewAsync("coordinator-c", TimeSpan.FromSeconds(30), Ct));
        Assert.Equal(epochB + 1, c.Epoch);
        await b.SignalAsync("CONT");
        await b.WriteLineAsync("enqueue stale-agent");
        Assert.Equal("ENQUEUE StaleEpoch", await b.WaitForLineAsync("ENQUEUE", Ct));
        Assert.Equal(1, (await queue.GetStatsAsync(Ct)).Depths[WorkPriority.High]);
        await b.WaitForLineAsync("FOLLOWER", Ct);

        // A graceful release hands over at once: the follower leads with the next epoch at its next poll.
        var releasedAt = Stopwatch.StartNew();
        Assert.True(await queue.ReleaseAsync(c, Ct));
        var epochB2 = long.Parse((await b.WaitForLineAsync("LEADER", Ct))[7..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(c.Epoch + 1, epochB2);
        Assert.True(releasedAt.Elapsed < TimeSpan.FromSeconds(5), $"handover took {releasedAt.Elapsed}");
        var info = await queue.GetLeaderAsync(Ct);
        Assert.Equal("coordinator-b", info.InstanceId);
        Assert.Equal(epochB2, info.Epoch);
        Assert.NotNull(info.Since);
    }

    [Fact]
    public async Task FastFailureDetection_SigkilledHolder_ItsWorkIsReclaimedLongBeforeItsLeaseEnds()
    {
        var prefix = Prefix();
        var queue = await QueueAsync(new WorkQueueOptions { KeyPrefix = prefix, LeaseDuration = TimeSpan.FromMinutes(5) });
        var leader = await queue.TryAcquireOrRenewAsync("coordinator", TimeSpan.FromMinutes(5), Ct);
        Assert.Equal(EnqueueOutcome.Enqueued, await queue.EnqueueAsync(Item("crashy"), leader!.Epoch, Ct));

        // A five-minute lease: only the holder's vanished connection can free the work within this test.
        var child = ChildProcess.StartClaimer("claim", redis.Url, prefix, "runner-1", "300000");
        await child.WaitForLineAsync("CLAIMED", Ct);
        await EventuallyAsync(async () => (await queue.GetStatsAsync(Ct)).Runners.Count == 1 ? "heartbeat" : null);
        Assert.Equal(0, await queue.ReclaimDisconnectedAsync(Ct));
        child.Kill();
        await child.DisposeAsync();

        await EventuallyAsync(async () => await queue.ReclaimDisconnectedAsync(Ct) > 0 ? "reclaimed" : null);
        var again = await queue.TryClaimAsync("runner-2", RunnerMode.Hybrid, Ct);
        Assert.Equal("crashy", again!.Item.AgentId);
        Assert.Equal(2, again.Item.Attempt);
    }

    [Fact]
    public async Task FastFailureDetection_SigkilledLeader_AStandbyTakesOverLongBeforeTheLeaderLeaseEnds()
    {
        var prefix = Prefix();
        var queue = await QueueAsync(new WorkQueueOptions { KeyPrefix = prefix });
        await using var a = ChildProcess.StartClaimer("lead", redis.Url, prefix, "coordinator-a", "300000", "200");
        var epochA = long.Parse((await a.WaitForLineAsync("LEADER", Ct))[7..], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Null(await queue.TryAcquireOrRenewAsync("coordinator-b", TimeSpan.FromMinutes(5), Ct));

        a.Kill();
        var b = await EventuallyAsync(() => queue.TryAcquireOrRenewAsync("coordinator-b", TimeSpan.FromMinutes(5), Ct));
        Assert.Equal(epochA + 1, b.Epoch);
        Assert.True(b.Acquired);
    }

    [Fact]
    public async Task FastFailureDetection_Off_LeavesAKilledHoldersWorkToItsLease()
    {
        var prefix = Prefix();
        var queue = await QueueAsync(new WorkQueueOptions { KeyPrefix = prefix, LeaseDuration = TimeSpan.FromMinutes(5), FastFailureDetection = false });
        var leader = await queue.TryAcquireOrRenewAsync("coordinator", TimeSpan.FromMinutes(5), Ct);
        await queue.EnqueueAsync(Item("crashy"), leader!.Epoch, Ct);
        var child = ChildProcess.StartClaimer("claim", redis.Url, prefix, "runner-1", "300000");
        await child.WaitForLineAsync("CLAIMED", Ct);
        child.Kill();
        await child.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        Assert.Equal(0, await queue.ReclaimDisconnectedAsync(Ct));
        Assert.Equal(1, (await queue.GetStatsAsync(Ct)).Active);
    }

    [Fact]
    public async Task GuideKeys_HoldWhatTheGuideSays_AndTheCliOperatesOnThem()
    {
        // No prefix: the exact names of the guide, in a database of this test alone.
        var url = redis.Url + "/7";
        var queue = await QueueAsync(new WorkQueueOptions { BreakerMaxFailures = 5, BreakerBaseBackoff = TimeSpan.FromSeconds(1), BreakerMaxBackoff = TimeSpan.FromSeconds(1) }, url);
        await using var raw = await ConnectionMultiplexer.ConnectAsync(redis.Url.Replace("redis://", "", StringComparison.Ordinal) + ",defaultDatabase=7,allowAdmin=true");
        var db = raw.GetDatabase();
        await raw.GetServers()[0].FlushDatabaseAsync(7);
        var env = new Dictionary<string, string?> { ["REDIS_URL"] = url };

        var leader = await queue.TryAcquireOrRenewAsync("coordinator-a", TimeSpan.FromMinutes(5), Ct);
        Assert.Equal("coordinator-a", (string?)await db.StringGetAsync("coordinator:leader"));
        Assert.Equal(leader!.Epoch, (long)await db.StringGetAsync("coordinator:epoch"));

        await queue.EnqueueAsync(Item("flaky", WorkPriority.Normal), leader.Epoch, Ct);
        await queue.EnqueueAsync(Item("explorer", WorkPriority.Low), leader.Epoch, Ct);
        Assert.Equal(1, await db.ListLengthAsync("work:queue:normal"));
        Assert.Equal(1, await db.ListLengthAsync("work:queue:low"));
        Assert.Contains("\"agent_id\":\"flaky\"", (string?)await db.ListGetByIndexAsync("work:queue:normal", 0), StringComparison.Ordinal);

        var stats = await CliProcess.RunAsync(["queue", "stats"], env, cancellationToken: Ct);
        Assert.Equal(0, stats.ExitCode);
        Assert.Matches(@"work:queue:normal\s+1", stats.StandardOutput);
        Assert.Contains("coordinator-a", stats.StandardOutput, StringComparison.Ordinal);

        var claimed = await queue.TryClaimAsync("runner-1", RunnerMode.Notification, Ct);
        var record = (await db.HashGetAllAsync("activation:" + claimed!.ActivationId)).ToDictionary(e => (string)e.Name!, e => (string?)e.Value);
        Assert.Equal("flaky", record["agent"]);
        Assert.Equal("runner-1", record["runner"]);
        Assert.Equal("inbox", record["task"]);
        Assert.Equal("normal", record["priority"]);
        Assert.Equal("1", record["attempt"]);
        Assert.Equal(leader.Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture), record["epoch"]);
        Assert.Equal(claimed.LeaseExpiresAt.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), record["lease_expires_at"]);
        Assert.True(record.ContainsKey("claimed_at") && record.ContainsKey("item"));
        Assert.True((await db.KeyTimeToLiveAsync("activation:" + claimed.ActivationId)) > TimeSpan.Zero);
        Assert.Equal(claimed.ActivationId, (string?)await db.HashGetAsync("work:active", "flaky"));
        Assert.Equal(claimed.LeaseExpiresAt.ToUnixTimeMilliseconds(), (long)(await db.SortedSetScoreAsync("work:leases", claimed.ActivationId))!.Value);
        await queue.HeartbeatAsync(new RunnerHeartbeat { RunnerId = "runner-1", Mode = RunnerMode.Notification, Concurrency = 2, InFlight = 1 }, [claimed.ActivationId], Ct);
        Assert.Equal("notification", (string?)await db.HashGetAsync("runner:heartbeat:runner-1", "mode"));
        Assert.True((await db.KeyTimeToLiveAsync("runner:heartbeat:runner-1")) > TimeSpan.Zero);

        var list = await CliProcess.RunAsync(["activations", "list"], env, cancellationToken: Ct);
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(claimed.ActivationId, list.StandardOutput, StringComparison.Ordinal);
        var stop = await CliProcess.RunAsync(["activations", "stop", claimed.ActivationId], env, cancellationToken: Ct);
        Assert.Equal(0, stop.ExitCode);
        Assert.False(await db.KeyExistsAsync("activation:" + claimed.ActivationId));
        Assert.Equal(1, (await CliProcess.RunAsync(["activations", "stop", claimed.ActivationId], env, cancellationToken: Ct)).ExitCode);
        await queue.CompleteAsync(claimed, WorkOutcome.Cancelled, null, Ct);

        // Breaker: five failures put the agent in backoff, visible as HGETALL work:backoff shows it.
        for (var i = 0; i < 5; i++)
        {
            await queue.EnqueueAsync(Item("flaky", WorkPriority.Normal), leader.Epoch, Ct);
            await queue.CompleteAsync((await queue.TryClaimAsync("runner-1", RunnerMode.Notification, Ct))!, WorkOutcome.Failed, "boom", Ct);
        }

        var backoff = (await db.HashGetAllAsync("work:backoff")).ToDictionary(e => (string)e.Name!, e => (double)e.Value);
        Assert.True(backoff["flaky"] > DateTimeOffset.FromUnixTimeSeconds(0).AddYears(50).ToUnixTimeSeconds());
        Assert.Equal(5, (long)await db.HashGetAsync("work:failures", "flaky"));
        Assert.Equal(EnqueueOutcome.InBackoff, await queue.EnqueueAsync(Item("flaky", WorkPriority.Normal), leader.Epoch, Ct));
        var backoffList = await CliProcess.RunAsync(["backoff", "list"], env, cancellationToken: Ct);
        Assert.Matches(@"flaky\s+5", backoffList.StandardOutput);

        var clear = await CliProcess.RunAsync(["backoff", "clear", "flaky"], env, cancellationToken: Ct);
        Assert.Equal(0, clear.ExitCode);
        Assert.Contains("cleared failures and backoff of 'flaky'", clear.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(await db.HashGetAllAsync("work:backoff"));
        Assert.Empty(await db.HashGetAllAsync("work:failures"));
        Assert.Equal(EnqueueOutcome.Enqueued, await queue.EnqueueAsync(Item("flaky", WorkPriority.Normal), leader.Epoch, Ct));

        // An expired backoff (1 s here) lets work in again.
        for (var i = 0; i < 5; i++)
        {
            await queue.CompleteAsync((await queue.TryClaimAsync("runner-1", RunnerMode.Notification, Ct))!, WorkOutcome.Failed, "boom", Ct);
            await queue.EnqueueAsync(Item("flaky", WorkPriority.Normal), leader.Epoch, Ct);
        }

        Assert.Equal(EnqueueOutcome.InBackoff, await queue.EnqueueAsync(Item("flaky", WorkPriority.Normal), leader.Epoch, Ct));
        await EventuallyAsync(async () => await queue.EnqueueAsync(Item("flaky", WorkPriority.Normal), leader.Epoch, Ct) == EnqueueOutcome.Enqueued ? "ok" : null);

        var dead = await CliProcess.RunAsync(["dead", "list"], env, cancellationToken: Ct);
        Assert.Equal(0, dead.ExitCode);
        Assert.Contains("no dead letters", dead.StandardOutput, StringComparison.Ordinal);

        // A poison item (one attempt, short lease, its runner gone) lands in work:dead; the CLI lists and requeues it.
        var poisonQueue = await QueueAsync(new WorkQueueOptions { MaxAttempts = 1, LeaseDuration = TimeSpan.FromMilliseconds(200) }, url);
        await poisonQueue.EnqueueAsync(Item("poison", WorkPriority.Low), leader.Epoch, Ct);
        var poison = await poisonQueue.TryClaimAsync("runner-gone", RunnerMode.Exploration, Ct);
        await EventuallyAsync(async () => await poisonQueue.ReapAsync(Ct) > 0 ? "reaped" : null);
        var deadEntry = Assert.Single(await db.ListRangeAsync("work:dead"));
        Assert.Contains("\"last_error\":\"lease expired\"", (string?)deadEntry, StringComparison.Ordinal);
        var deadList = await CliProcess.RunAsync(["dead", "list"], env, cancellationToken: Ct);
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(deadList.StandardOutput, poison!.ActivationId + @"\s+" + poison.Item.AgentId + @"\s+discovery\s+low\s+1\s+.*lease expired"), deadList.StandardOutput);
        var requeue = await CliProcess.RunAsync(["dead", "requeue", poison.ActivationId], env, cancellationToken: Ct);
        Assert.Equal(0, requeue.ExitCode);
        Assert.Equal(0, await db.ListLengthAsync("work:dead"));
        Assert.Equal(2, await db.ListLengthAsync("work:queue:low")); // the requeued one and "poison", still waiting
        var missing = await CliProcess.RunAsync(["dead", "requeue", "nope"], env, cancellationToken: Ct);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("no dead letter 'nope'", missing.StandardError, StringComparison.Ordinal);
        var noUrl = await CliProcess.RunAsync(["queue", "stats"], cancellationToken: Ct);
        Assert.Equal(2, noUrl.ExitCode);
        Assert.Contains("REDIS_URL is required for 'botburrow queue stats'", noUrl.StandardError, StringComparison.Ordinal);
    }
}
