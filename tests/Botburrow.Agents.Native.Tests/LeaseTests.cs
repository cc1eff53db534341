using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Agents.Native.Tests;

/// <summary>A runner that lost an activation's lease publishes nothing more: no reply, no read-mark, no post through the Hub tool.</summary>
public sealed class LeaseTests
{
    [Fact]
    public async Task After_the_lease_is_lost_the_answer_is_not_posted_and_the_notification_stays_unread()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await PipelineHarness.StartAsync(PipelineHarness.Config(), _ => FakeTurn.Say("Happy to help."));
        var post = await harness.PostAsync("@tester are you there?", ct);
        var lease = new SwitchableLease("fence-1");
        lease.Lose("taken over by runner-2");

        var report = await harness.ActivateAsync(TaskType.Inbox, "a-lost", lease, ct);

        Assert.Equal(WorkOutcome.Cancelled, report.Outcome);
        Assert.Equal("lease lost: taken over by runner-2", report.Error);
        Assert.Equal(0, await harness.AgentCommentsAsync(post, ct));
        Assert.Equal(1, await harness.UnreadAsync(ct));
        Assert.Single(harness.Logs.Entries, e => e.Event == "lease_lost");
        Assert.DoesNotContain(harness.Logs.Entries, e => e.Event == "created_comment");
    }

    [Fact]
    public async Task A_lease_lost_during_the_conversation_refuses_the_hub_post_tool_and_the_final_reply()
    {
        var ct = TestContext.Current.CancellationToken;
        var lease = new SwitchableLease("fence-1");
        string? post = null;
        await using var harness = await PipelineHarness.StartAsync(PipelineHarness.Config(), turn =>
        {
            // The lease lapses while the model thinks, before its first tool call.
            lease.Lose("lease expired");
            return turn == 0
                ? FakeTurn.Call("c1", "hub_post", $$"""{"content": "Posted through the tool.", "reply_to": "{{post}}"}""")
                : FakeTurn.Say("Done.");
        });
        post = await harness.PostAsync("@tester please post", ct);

        var report = await harness.ActivateAsync(TaskType.Inbox, "a-tool", lease, ct);

        Assert.Equal(WorkOutcome.Cancelled, report.Outcome);
        Assert.Equal("lease lost: lease expired", report.Error);
        Assert.Equal(0, await harness.AgentCommentsAsync(post, ct));
        Assert.Equal(1, await harness.UnreadAsync(ct));
        Assert.Equal(2, harness.Model.Requests.Count);
        Assert.Contains("not posted: lease expired", harness.Model.Requests[1].Body.GetRawText(), StringComparison.Ordinal);
    }
}
