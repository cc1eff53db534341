using System.Globalization;
using System.Text.Json;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.EndToEnd.Tests;

/// <summary>
/// Faults injected into a fleet of real processes on a real redis-server with AOF: a runner SIGKILLed mid-activation,
/// a runner frozen (SIGSTOP) past its lease and woken (SIGCONT), the leader SIGKILLed, Redis killed and restarted.
/// The dev Hub runs with idempotency off, so every write a runner makes shows; the invariants: exactly one reply per
/// mention, never two executions of one agent at once, no write from a runner whose lease lapsed, nothing left in
/// Redis.
/// </summary>
public sealed class FaultInjectionTests : IAsyncLifetime
{
    private static readonly string[] EndEvents = ["activation_completed", "activation_failed", "activation_cancelled", "activation_handed_back", "lease_lost"];

    private readonly RedisServerFixture _redis = new() { AppendOnly = true };
    private readonly TestAgents _agents = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => _redis.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        _agents.Dispose();
    }

    private static Dictionary<string, string?> Settings() => new()
    {
        ["DEVHUB_IDEMPOTENCY"] = "off",
        [SettingNames.LogLevel] = "Debug",
    };

    [Fact]
    public async Task FrozenRunner_WokenAfterItsLeaseLapsed_PostsNothing_AndLogsLeaseLost()
    {
        _redis.EnsureAvailable();
        _agents.AddAgent("sleeper");
        _agents.Script("sleeper", "Answer from sleeper.", delayMs: 2000);
        await using var fleet = await RedisFleet.StartAsync(_agents, _redis.Url, Settings(), Cancel);
        fleet.StartCoordinator("coordinator-a");

        // Two mentions in one activation: the runner is frozen after answering the first, while its brain thinks
        // about the second (2 s): woken, an unfenced runner would post the second answer after another runner had.
        var first = await fleet.Probe.MentionAsync("sleeper", "first question", cancellationToken: Cancel);
        var second = await fleet.Probe.MentionAsync("sleeper", "second question", cancellationToken: Cancel);
        var frozen = fleet.StartRunner("runner-frozen", "notification");
        await frozen.WaitForEventAsync("created_comment", cancellationToken: Cancel);
        frozen.Freeze();
        try
        {
            // The frozen runner keeps its Redis connection (a paused process, not a dead one): only its lease
            // lapses, and the reaper hands the work to the other runner, which answers what is still unread.
            var other = fleet.StartRunner("runner-other", "notification");
            await WaitForRepliesAsync(fleet, second, "sleeper", 1);
            await other.WaitForEventAsync("activation_completed", e => CliChild.Find(e, "AgentId") == "sleeper", Cancel);
        }
        finally
        {
            frozen.Freeze(resume: true);
        }

        // Woken, the stale activation stops before it writes anything more.
        var lost = await frozen.WaitForEventAsync("lease_lost", e => CliChild.Find(e, "agent_id", "AgentId") == "sleeper", Cancel);
        Assert.NotNull(lost);
        await Eventually.HoldsAsync(() => true, TimeSpan.FromSeconds(2), Cancel);
        Assert.Single(frozen.Events("created_comment"));
        Assert.Empty(frozen.Events("activation_completed"));
        Assert.Single(await fleet.Probe.RepliesAsync(first, "sleeper", Cancel));
        Assert.Single(await fleet.Probe.RepliesAsync(second, "sleeper", Cancel));
        Assert.Equal("warning", CliChild.Find(lost.Value, "level"));
        await AssertNothingStuckAsync(fleet);
    }

    [Fact]
    public async Task KilledRunner_KilledLeader_RestartedRedis_EveryMentionAnsweredOnce_NoOverlap_NothingStuck()
    {
        _redis.EnsureAvailable();
        _agents.AddAgent("talker");
        _agents.Script("talker", "Talker answers.", delayMs: 1500);
        await using var fleet = await RedisFleet.StartAsync(_agents, _redis.Url, Settings(), Cancel);
        var coordinators = new List<CliChild> { fleet.StartCoordinator("coordinator-a"), fleet.StartCoordinator("coordinator-b") };
        var runners = new List<CliChild> { fleet.StartRunner("runner-1", "notification") };
        var killedAt = new Dictionary<CliChild, DateTimeOffset>();
        var posts = new List<string>();

        // 1. SIGKILL the runner in the middle of an activation: another runner answers (the reaper sees the
        //    killed runner's connection go).
        posts.Add(await fleet.Probe.MentionAsync("talker", "first", cancellationToken: Cancel));
        await runners[0].WaitForEventAsync("activation_starting", e => CliChild.Find(e, "AgentId") == "talker", Cancel);
        runners.Add(fleet.StartRunner("runner-2", "notification"));
        runners[0].Kill();
        killedAt[runners[0]] = TimeProvider.System.GetUtcNow();
        await WaitForRepliesAsync(fleet, posts[^1], "talker", 1);

        // 2. SIGKILL the leader: the standby leads and the next mention is answered.
        var leader = await Eventually.WaitAsync(
            () => Task.FromResult(coordinators.FirstOrDefault(c => !c.HasExited && c.Events("became_leader").Count > 0)),
            "a leader",
            TestConstants.ProcessTimeout,
            Cancel);
        leader.Kill();
        var standby = coordinators.Single(c => c != leader);
        await standby.WaitForEventAsync("became_leader", cancellationToken: Cancel);
        posts.Add(await fleet.Probe.MentionAsync("talker", "second", cancellationToken: Cancel));
        await WaitForRepliesAsync(fleet, posts[^1], "talker", 1);

        // 3. Redis killed mid-activation and restarted with its AOF: the work survives and is answered once.
        posts.Add(await fleet.Probe.MentionAsync("talker", "third", cancellationToken: Cancel));
        await Eventually.WaitAsync(
            () => runners.Sum(r => RedisFleet.Starts(r).Count(s => s.Agent == "talker")) >= 3,
            "the third activation to start",
            TestConstants.DefaultTimeout,
            Cancel);
        _redis.Kill();
        await _redis.RestartAsync();
        await WaitForRepliesAsync(fleet, posts[^1], "talker", 1);

        // Exactly one reply per mention, and no more writes than mentions (idempotency is off: a duplicate shows).
        await Eventually.HoldsAsync(() => true, TimeSpan.FromSeconds(2), Cancel);
        foreach (var post in posts)
        {
            Assert.Single(await fleet.Probe.RepliesAsync(post, "talker", Cancel));
        }

        Assert.Equal(posts.Count, runners.Sum(r => r.Events("created_comment").Count));

        // No write from a runner after it lost a lease, and never two executions of the agent at once.
        foreach (var runner in runners)
        {
            foreach (var lost in runner.Events("lease_lost"))
            {
                Assert.DoesNotContain(runner.Events("created_comment"), c => Time(c) > Time(lost) && CliChild.Find(c, "activation_id") == CliChild.Find(lost, "activation_id"));
            }
        }

        AssertNoOverlap(runners, killedAt, "talker", fleet);
        await AssertNothingStuckAsync(fleet);
    }

    [Fact]
    public async Task OperatorStop_StopsTheAgent_NotOnlyTheRun_UntilItsBackoffIsCleared()
    {
        _redis.EnsureAvailable();
        _agents.AddAgent("looper");
        _agents.Script("looper", "Looper answers.", delayMs: 3000);
        await using var fleet = await RedisFleet.StartAsync(_agents, _redis.Url, Settings(), Cancel);
        fleet.StartCoordinator("coordinator-a");
        var runner = fleet.StartRunner("runner-1", "notification");
        var post = await fleet.Probe.MentionAsync("looper", "loop forever", cancellationToken: Cancel);
        var started = await runner.WaitForEventAsync("activation_starting", e => CliChild.Find(e, "AgentId") == "looper", Cancel);
        var activation = CliChild.Find(started!.Value, "activation_id", "ActivationId")!;

        Assert.True(await fleet.Queue.StopActivationAsync(activation, Cancel));
        await runner.WaitForEventAsync("activation_stop_requested", cancellationToken: Cancel);
        await runner.WaitForEventAsync("activation_cancelled", cancellationToken: Cancel);

        // In backoff (HGETALL work:backoff), and the same unread mention does not start it again.
        Assert.Contains(await fleet.Queue.ListBackoffAsync(Cancel), b => b.AgentId == "looper" && b.Until > TimeProvider.System.GetUtcNow());
        await Eventually.HoldsAsync(() => RedisFleet.Starts(runner).Count(s => s.Agent == "looper") == 1, TimeSpan.FromSeconds(3), Cancel);
        Assert.Single(RedisFleet.Starts(runner), s => s.Agent == "looper");
        Assert.Empty(runner.Events("lease_lost"));
        Assert.Empty(await fleet.Probe.RepliesAsync(post, "looper", Cancel));

        // Lifted (botburrow backoff clear looper): the mention, still unread, is answered once.
        Assert.Equal(1, await fleet.Queue.ClearBackoffAsync("looper", Cancel));
        await WaitForRepliesAsync(fleet, post, "looper", 1);
        Assert.Single(await fleet.Probe.RepliesAsync(post, "looper", Cancel));
    }

    private static DateTimeOffset Time(JsonElement line)
        => DateTimeOffset.Parse(CliChild.Find(line, "timestamp")!, CultureInfo.InvariantCulture);

    /// <summary>Each activation runs from its <c>activation_starting</c> to its end event (or its runner's SIGKILL); no two of one agent overlap.</summary>
    private static void AssertNoOverlap(IEnumerable<CliChild> runners, Dictionary<CliChild, DateTimeOffset> killedAt, string agent, RedisFleet fleet)
    {
        var intervals = new List<(string Id, DateTimeOffset From, DateTimeOffset To)>();
        foreach (var runner in runners)
        {
            var ends = EndEvents.SelectMany(runner.Events)
                .Select(e => (Id: CliChild.Find(e, "activation_id", "ActivationId"), At: Time(e)))
                .Where(e => e.Id is not null)
                .GroupBy(e => e.Id!)
                .ToDictionary(g => g.Key, g => g.Min(e => e.At), StringComparer.Ordinal);
            foreach (var start in runner.Events("activation_starting").Where(e => CliChild.Find(e, "AgentId") == agent))
            {
                var id = CliChild.Find(start, "activation_id", "ActivationId")!;
                var end = ends.TryGetValue(id, out var at) ? at : killedAt.TryGetValue(runner, out var killed) ? killed : DateTimeOffset.MaxValue;
                intervals.Add((id, Time(start), end));
            }
        }

        var ordered = intervals.OrderBy(i => i.From).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            Assert.True(
                ordered[i].From >= ordered[i - 1].To,
                $"activations {ordered[i - 1].Id} ({ordered[i - 1].From:O}..{ordered[i - 1].To:O}) and {ordered[i].Id} ({ordered[i].From:O}..) of {agent} overlap:\n{fleet.Describe()}");
        }
    }

    private static async Task AssertNothingStuckAsync(RedisFleet fleet)
    {
        await Eventually.WaitAsync(
            async () =>
            {
                var stats = await fleet.Queue.GetStatsAsync(Cancel);
                return stats.Depths.Values.Sum() == 0 && stats.Active == 0 && stats.FollowUps == 0
                    && (await fleet.Queue.ListActivationsAsync(Cancel)).Count == 0
                    && (await fleet.Queue.ListActiveEntriesAsync(Cancel)).Count == 0;
            },
            "an empty work store (no queued, active, follow-up or leased work)",
            TestConstants.ProcessTimeout,
            Cancel);
        Assert.Empty(await fleet.Queue.ListDeadAsync(Cancel));
    }

    private static Task WaitForRepliesAsync(RedisFleet fleet, string postId, string agent, int count) =>
        Eventually.WaitAsync(
            async () => (await fleet.Probe.RepliesAsync(postId, agent, Cancel)).Count >= count,
            $"{agent}'s reply in thread {postId}",
            TestConstants.ProcessTimeout,
            Cancel);
}
