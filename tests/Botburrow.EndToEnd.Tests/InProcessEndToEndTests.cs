using System.Globalization;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.EndToEnd.Tests;

/// <summary>From an @mention on the dev Hub to the agent's reply, everything in this process on the embedded backend.</summary>
public sealed class InProcessEndToEndTests : IDisposable
{
    private readonly TestAgents _agents = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _agents.Dispose();

    [Fact]
    public async Task Mention_GetsReply_NotificationRead_ActivationAndConsumptionRecorded()
    {
        _agents.AddAgent("helper");
        _agents.Script("helper", "Hello back! You said: {{quote}}", inputTokens: 1000, outputTokens: 500);
        await using var fleet = await InProcessFleet.StartAsync(_agents, cancellationToken: Cancel);
        Assert.Null(await fleet.Probe.LastActivatedAtAsync("helper", Cancel));

        var postId = await fleet.Probe.MentionAsync("helper", "hello", cancellationToken: Cancel);

        var replies = await Eventually.WaitAsync(
            async () => await fleet.Probe.RepliesAsync(postId, "helper", Cancel) is { Count: > 0 } r ? r : null,
            "the agent's reply in the thread", cancellationToken: Cancel);
        var reply = Assert.Single(replies);
        Assert.StartsWith("Hello back! You said:", reply.Content, StringComparison.Ordinal);
        Assert.Contains("hello", reply.Content, StringComparison.Ordinal);

        await Eventually.WaitAsync(async () => await fleet.Probe.LastActivatedAtAsync("helper", Cancel) is not null, "last_activated_at", cancellationToken: Cancel);
        var notification = Assert.Single(await fleet.Probe.NotificationsAsync("helper", Cancel));
        Assert.Equal("mention", notification.Type);
        Assert.True(notification.Read);

        // 1000 input tokens at 1000 USD/M + 500 output tokens at 2000 USD/M (the price table given to the scripted brain).
        var budget = await fleet.Probe.Client.GetBudgetHealthAsync("helper", Cancel);
        Assert.Equal(2.0, budget.DailyUsed, 6);
        Assert.Equal(2.0, budget.MonthlyUsed, 6);
        Assert.Contains(fleet.Log.Named("activation_completed"), e => e["AgentId"] == "helper" && e["Replies"] == "1");
    }

    [Fact]
    public async Task Mention_IsAnsweredByOneActivation_NoEmptyFollowUp()
    {
        _agents.AddAgent("helper");
        _agents.Script("helper", "On it.", delayMs: 1500);
        await using var fleet = await InProcessFleet.StartAsync(_agents, cancellationToken: Cancel);

        var postId = await fleet.Probe.MentionAsync("helper", cancellationToken: Cancel);
        await Eventually.WaitAsync(() => fleet.Ends("helper").Count >= 1, "the activation to end", cancellationToken: Cancel);

        // The coordinator keeps polling while the agent runs and sees its still-unread notification; that must
        // not turn into a second, empty activation. Give it a few poll rounds to show a follow-up if it would.
        await Eventually.HoldsAsync(() => fleet.Starts("helper").Count == 1, TimeSpan.FromSeconds(2.5), Cancel);

        Assert.Single(fleet.Starts("helper"));
        Assert.Single(await fleet.Probe.RepliesAsync(postId, "helper", Cancel));
    }

    [Fact]
    public async Task RespondToMentionsFalse_NoReply_NotificationStillRead()
    {
        _agents.AddAgent("quiet", respondToMentions: false);
        _agents.Script("quiet", "I should never be posted.");
        await using var fleet = await InProcessFleet.StartAsync(_agents, cancellationToken: Cancel);

        var postId = await fleet.Probe.MentionAsync("quiet", cancellationToken: Cancel);

        await Eventually.WaitAsync(
            async () => (await fleet.Probe.NotificationsAsync("quiet", Cancel)).All(n => n.Read == true) && fleet.Ends("quiet").Count > 0,
            "the notification to be marked read", cancellationToken: Cancel);
        Assert.Empty(await fleet.Probe.RepliesAsync(postId, "quiet", Cancel));
        Assert.Contains(fleet.Log.Named("notification_ignored"), e => e["AgentId"] == "quiet");
        Assert.Contains(fleet.Log.Named("activation_completed"), e => e["AgentId"] == "quiet" && e["Replies"] == "0");
    }

    [Fact]
    public async Task SkipAnswer_NothingPosted_NotificationRead()
    {
        _agents.AddAgent("skipper");
        _agents.Script("skipper", "SKIP");
        await using var fleet = await InProcessFleet.StartAsync(_agents, cancellationToken: Cancel);

        var postId = await fleet.Probe.MentionAsync("skipper", cancellationToken: Cancel);

        await Eventually.WaitAsync(
            async () => (await fleet.Probe.NotificationsAsync("skipper", Cancel)).All(n => n.Read == true) && fleet.Ends("skipper").Count > 0,
            "the notification to be marked read", cancellationToken: Cancel);
        Assert.Empty(await fleet.Probe.RepliesAsync(postId, "skipper", Cancel));
        Assert.Contains(fleet.Log.Named("reply_skipped"), e => e["AgentId"] == "skipper");
        Assert.Contains(fleet.Log.Named("activation_completed"), e => e["AgentId"] == "skipper" && e["Replies"] == "0" && e["Skipped"] == "1");
    }

    [Fact]
    public async Task ThreeMentionsWhileRunning_OneFollowUp_NeverConcurrent()
    {
        _agents.AddAgent("busy");
        _agents.Script("busy", "Answer to: {{quote}}", delayMs: 1200);
        await using var fleet = await InProcessFleet.StartAsync(_agents, cancellationToken: Cancel);

        var first = await fleet.Probe.MentionAsync("busy", "first", cancellationToken: Cancel);
        await Eventually.WaitAsync(() => fleet.Starts("busy").Count == 1, "the first activation to start", cancellationToken: Cancel);
        var more = new List<string>();
        for (var i = 1; i <= 3; i++)
        {
            more.Add(await fleet.Probe.MentionAsync("busy", "more " + i.ToString(CultureInfo.InvariantCulture), cancellationToken: Cancel));
        }

        Assert.Empty(fleet.Ends("busy")); // the three arrived while the first run was still going
        foreach (var postId in more.Prepend(first))
        {
            await Eventually.WaitAsync(async () => (await fleet.Probe.RepliesAsync(postId, "busy", Cancel)).Count > 0, "a reply in thread " + postId, cancellationToken: Cancel);
        }

        await Eventually.WaitAsync(() => fleet.Ends("busy").Count == fleet.Starts("busy").Count, "every activation to end", cancellationToken: Cancel);
        await Eventually.HoldsAsync(() => fleet.Starts("busy").Count <= 2, TimeSpan.FromSeconds(2.5), Cancel);

        var starts = fleet.Starts("busy");
        var ends = fleet.Ends("busy");
        Assert.Equal(2, starts.Count); // the first run and exactly one follow-up for the three mentions
        Assert.Equal(2, ends.Count);
        Assert.True(starts[1].Sequence > ends[0].Sequence, "the follow-up started before the first activation ended");
        // Four replies over the two runs: the first answers what was unread when it listed the inbox (at least the
        // first mention; a mention posted in the same instant may join it), the follow-up answers the rest.
        var replies = fleet.Log.Named("activation_completed").Where(e => e["AgentId"] == "busy").Sum(e => int.Parse(e["Replies"] ?? "0", CultureInfo.InvariantCulture));
        Assert.Equal(4, replies);
        foreach (var postId in more.Prepend(first))
        {
            Assert.Single(await fleet.Probe.RepliesAsync(postId, "busy", Cancel));
        }
    }

    [Fact]
    public async Task HangingBrain_CancelledAtActivationTimeout_CountedAsFailure()
    {
        _agents.AddAgent("hanger");
        _agents.Script("hanger", "never", hang: true);
        await using var fleet = await InProcessFleet.StartAsync(
            _agents,
            new Dictionary<string, string?> { [SettingNames.ActivationTimeout] = "1", [SettingNames.BreakerMaxFailures] = "1" },
            Cancel);

        var postId = await fleet.Probe.MentionAsync("hanger", cancellationToken: Cancel);

        var failed = await Eventually.WaitAsync(
            () => Task.FromResult(fleet.Log.Named("activation_failed").FirstOrDefault(e => e["AgentId"] == "hanger")),
            "the activation to fail", cancellationToken: Cancel);
        Assert.Contains("ACTIVATION_TIMEOUT", failed["Error"], StringComparison.Ordinal);
        var backoff = await Eventually.WaitAsync(
            async () => (await fleet.Queue.ListBackoffAsync(Cancel)).FirstOrDefault(b => b.AgentId == "hanger"),
            "the breaker to count the failure", cancellationToken: Cancel);
        Assert.True(backoff.Failures >= 1);
        Assert.NotNull(backoff.Until);
        Assert.Empty(await fleet.Probe.RepliesAsync(postId, "hanger", Cancel));
        Assert.Contains(await fleet.Probe.NotificationsAsync("hanger", Cancel), n => n.Read != true); // nothing lost: still unread for a later run
    }
}
