using Botburrow.Agents.Configuration;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.EndToEnd.Tests;

/// <summary>
/// The fleet as separate processes on a real redis-server: a Hub, two coordinators, a notification runner and an
/// exploration runner; then a runner killed mid-activation, and runners stopped with SIGTERM.
/// </summary>
public sealed class MultiProcessEndToEndTests : IClassFixture<RedisServerFixture>, IDisposable
{
    private readonly RedisServerFixture _redis;
    private readonly TestAgents _agents = new();

    public MultiProcessEndToEndTests(RedisServerFixture redis)
    {
        _redis = redis;
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _agents.Dispose();

    private string RedisDatabase(int number) => $"{_redis.Url}/{number}";

    [Fact]
    public async Task RunnersByMode_AndKilledRunner_ReplyAppearsExactlyOnce()
    {
        _redis.EnsureAvailable();
        _agents.AddAgent("talker");
        _agents.Script("talker", "Talker here: {{quote}}", delayMs: 2500);
        _agents.AddAgent("scout", discovery: true);
        _agents.Script("scout", "Scout here.", discoveryText: "SKIP");
        await using var fleet = await RedisFleet.StartAsync(_agents, RedisDatabase(1), new Dictionary<string, string?> { [SettingNames.MinStalenessSeconds] = "1" }, Cancel);
        var coordinatorA = fleet.StartCoordinator("coordinator-a");
        var coordinatorB = fleet.StartCoordinator("coordinator-b");
        var notification = fleet.StartRunner("runner-notification-1", "notification");
        var exploration = fleet.StartRunner("runner-exploration-1", "exploration");

        var first = await fleet.Probe.MentionAsync("talker", "first question", cancellationToken: Cancel);
        await WaitForReplyAsync(fleet, first, "talker");
        await exploration.WaitForEventAsync("activation_completed", e => CliChild.Find(e, "AgentId") == "scout", Cancel);

        // The two coordinators share the work through the leader lease: one of them leads.
        Assert.Contains(new[] { coordinatorA, coordinatorB }, c => c.Events("became_leader").Count > 0);

        // SIGKILL the notification runner in the middle of an activation (the scripted brain takes 2.5 s).
        var second = await fleet.Probe.MentionAsync("talker", "second question", cancellationToken: Cancel);
        await Eventually.WaitAsync(() => RedisFleet.Starts(notification).Count(s => s.Agent == "talker") >= 2, "the second activation to start", TestConstants.DefaultTimeout, Cancel);
        Assert.Empty(await fleet.Probe.RepliesAsync(second, "talker", Cancel));
        notification.Kill();
        var replacement = fleet.StartRunner("runner-notification-2", "notification");

        await WaitForReplyAsync(fleet, second, "talker");
        await replacement.WaitForEventAsync("activation_completed", e => CliChild.Find(e, "AgentId") == "talker", Cancel);
        await Eventually.HoldsAsync(() => true, TimeSpan.FromSeconds(1), Cancel);
        Assert.Single(await fleet.Probe.RepliesAsync(second, "talker", Cancel));
        Assert.Single(await fleet.Probe.RepliesAsync(first, "talker", Cancel));
        Assert.Contains(RedisFleet.Starts(replacement), s => s.Agent == "talker" && s.Attempt == "2"); // the reaper requeued the lost lease

        // Mentions only on notification runners, discovery only on the exploration runner; each logs under its own runner_id.
        foreach (var (runner, id) in new[] { (notification, "runner-notification-1"), (replacement, "runner-notification-2") })
        {
            var starts = RedisFleet.Starts(runner);
            Assert.NotEmpty(starts);
            Assert.All(starts, s => Assert.Equal(("talker", "inbox", id), (s.Agent, s.TaskType, s.RunnerId)));
        }

        var discoveries = RedisFleet.Starts(exploration);
        Assert.NotEmpty(discoveries);
        Assert.All(discoveries, s => Assert.Equal(("scout", "discovery", "runner-exploration-1"), (s.Agent, s.TaskType, s.RunnerId)));
    }

    [Fact]
    public async Task Sigterm_ShortActivationFinishes_ExitZero_NothingRequeued()
    {
        _redis.EnsureAvailable();
        _agents.AddAgent("steady");
        _agents.Script("steady", "Finished despite the shutdown.", delayMs: 3000);
        await using var fleet = await RedisFleet.StartAsync(_agents, RedisDatabase(2), new Dictionary<string, string?> { [SettingNames.ShutdownGracePeriod] = "20" }, Cancel);
        fleet.StartCoordinator("coordinator-a");
        var runner = fleet.StartRunner("runner-term-1", "notification");

        var postId = await fleet.Probe.MentionAsync("steady", cancellationToken: Cancel);
        await runner.WaitForEventAsync("activation_starting", e => CliChild.Find(e, "AgentId") == "steady", Cancel);
        runner.Terminate();

        Assert.Equal(0, await runner.WaitForExitAsync(TestConstants.DefaultTimeout, Cancel));
        Assert.Single(await fleet.Probe.RepliesAsync(postId, "steady", Cancel));
        Assert.Single(runner.Events("activation_completed"));
        Assert.Empty(runner.Events("activation_handed_back"));
        var stats = await fleet.Queue.GetStatsAsync(Cancel);
        Assert.Equal(0, stats.Depths.Values.Sum());
        Assert.Equal(0, stats.Active);
        Assert.Empty(await fleet.Queue.ListActivationsAsync(Cancel));
    }

    [Fact]
    public async Task Sigterm_LongActivation_HandedBackWhenGracePeriodEnds()
    {
        _redis.EnsureAvailable();
        _agents.AddAgent("slowpoke");
        _agents.Script("slowpoke", "Too slow to finish.", delayMs: 60_000);
        await using var fleet = await RedisFleet.StartAsync(_agents, RedisDatabase(3), new Dictionary<string, string?> { [SettingNames.ShutdownGracePeriod] = "1" }, Cancel);
        fleet.StartCoordinator("coordinator-a");
        var runner = fleet.StartRunner("runner-term-2", "notification");

        var postId = await fleet.Probe.MentionAsync("slowpoke", cancellationToken: Cancel);
        await runner.WaitForEventAsync("activation_starting", e => CliChild.Find(e, "AgentId") == "slowpoke", Cancel);
        runner.Terminate();

        Assert.Equal(0, await runner.WaitForExitAsync(TestConstants.DefaultTimeout, Cancel));
        Assert.Single(runner.Events("activation_handed_back"));
        Assert.Empty(runner.Events("activation_completed"));
        Assert.Empty(await fleet.Probe.RepliesAsync(postId, "slowpoke", Cancel));
        var stats = await fleet.Queue.GetStatsAsync(Cancel);
        Assert.Equal(1, stats.Depths.GetValueOrDefault(WorkPriority.High)); // back at the front of its queue
        Assert.Equal(0, stats.Active);
        Assert.Empty(await fleet.Queue.ListActivationsAsync(Cancel));
    }

    private static Task WaitForReplyAsync(RedisFleet fleet, string postId, string agent) =>
        Eventually.WaitAsync(
            async () => (await fleet.Probe.RepliesAsync(postId, agent, Cancel)).Count > 0,
            $"{agent}'s reply in thread {postId}",
            TestConstants.ProcessTimeout,
            Cancel);
}
