using System.Diagnostics;
using Botburrow.Agents.Testing;
using Xunit;

namespace Botburrow.Agents.Hub.Tests;

public sealed class LongPollTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Poll_WaitingWithNoWork_ReturnsPromptlyAfterAMention()
    {
        await using var hub = await TestHub.StartAsync();
        var poll = hub.Client.PollAsync(TimeSpan.FromSeconds(60), 100, Ct);
        await hub.Events.WhenLogged("hub_poll_waiting").WaitAsync(TestConstants.DefaultTimeout, Ct);
        Assert.False(poll.IsCompleted);

        var posted = Stopwatch.StartNew();
        await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "wake up @alpha" }, "poll-wake", Ct);
        var completed = await Task.WhenAny(poll, Task.Delay(TestConstants.DefaultTimeout, Ct));
        var elapsed = posted.Elapsed;

        Assert.Same(poll, completed);
        var result = await poll;
        Assert.Equal(HubPollStatus.Answered, result.Status);
        var agent = Assert.Single(result.Agents);
        Assert.Equal("alpha", agent.Id);
        Assert.Equal(1, agent.NotificationCount);
        TestContext.Current.TestOutputHelper?.WriteLine($"long-poll answered {elapsed.TotalMilliseconds:0.0} ms after the post returned");
    }

    [Fact]
    public async Task Poll_WithUnreadWork_AnswersAtOnce()
    {
        await using var hub = await TestHub.StartAsync();
        await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "@beta are you there?" }, "poll-now", Ct);

        var result = await hub.Client.PollAsync(TimeSpan.FromSeconds(60), 100, Ct);

        Assert.Equal("beta", Assert.Single(result.Agents).Id);
    }

    [Fact]
    public async Task Poll_AtItsTimeout_AnswersEmptyAgents()
    {
        await using var hub = await TestHub.StartAsync();
        using var http = hub.CreateHttp(null);

        var body = await http.GetStringAsync(new Uri("api/v1/notifications/poll?timeout=1&batch_size=10", UriKind.Relative), Ct);
        var viaClient = await hub.Client.PollAsync(TimeSpan.FromSeconds(1), 10, Ct);

        Assert.Equal("{\"agents\":[]}", body);
        Assert.Equal(HubPollStatus.Answered, viaClient.Status);
        Assert.Empty(viaClient.Agents);
    }

    [Fact]
    public async Task Poll_HonoursBatchSize()
    {
        await using var hub = await TestHub.StartAsync();
        await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "@alpha @beta both of you" }, "poll-batch", Ct);

        var result = await hub.Client.PollAsync(TimeSpan.FromSeconds(5), 1, Ct);

        Assert.Single(result.Agents);
    }

    [Fact]
    public async Task Poll_CanBeCancelled()
    {
        await using var hub = await TestHub.StartAsync();
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var poll = hub.Client.PollAsync(TimeSpan.FromSeconds(60), 100, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => poll);
    }
}
