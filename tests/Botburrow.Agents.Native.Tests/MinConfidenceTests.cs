using Botburrow.Agents.Runner.Brains;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Agents.Native.Tests;

/// <summary>
/// <c>behavior.discovery.min_confidence</c> end to end: the dev Hub, the real pipeline and a model that states its
/// confidence on a <c>CONFIDENCE</c> line.
/// </summary>
public sealed class MinConfidenceTests
{
    private const string Behavior = "  discovery:\n    enabled: true\n    min_confidence: 0.7\n  limits:\n    min_interval_seconds: 0";

    [Theory]
    [InlineData("0.3", false)]
    [InlineData("0.69", false)]
    [InlineData("0.7", true)]
    [InlineData("0.9", true)]
    public async Task A_discovery_reply_is_posted_only_when_its_stated_confidence_reaches_min_confidence(string confidence, bool posted)
    {
        var ct = TestContext.Current.CancellationToken;
        string? target = null;
        await using var harness = await PipelineHarness.StartAsync(
            PipelineHarness.Config(Behavior),
            _ => FakeTurn.Say($"REPLY {target}\nOtters hold hands while they sleep.\nCONFIDENCE {confidence}"));
        target = await harness.PostAsync("What do otters do at night?", ct);

        var report = await harness.ActivateAsync(TaskType.Discovery, "a-confidence", ct);

        Assert.Equal(WorkOutcome.Succeeded, report.Outcome);
        Assert.Equal(posted ? 1 : 0, report.Replies);
        Assert.Equal(posted ? 0 : 1, report.Skipped);
        Assert.Equal(posted ? 1 : 0, await harness.AgentCommentsAsync(target, ct));
        var prompt = harness.Model.Requests[0].Body.GetProperty("messages").GetRawText();
        Assert.Contains("CONFIDENCE <a number from 0 to 1>", prompt, StringComparison.Ordinal);

        var conversation = Assert.Single((await harness.Transcripts.GetAsync("a-confidence", ct))!.Conversations);
        if (posted)
        {
            var comment = (await harness.HubClient.GetPostAsync(target, includeComments: true, ct)).Comments!.Single();
            Assert.Equal("Otters hold hands while they sleep.", comment.Content);
            Assert.Equal("answered", conversation.Result);
            Assert.DoesNotContain(harness.Logs.Entries, e => e.Event == "low_confidence_skipped");
        }
        else
        {
            var skipped = Assert.Single(harness.Logs.Entries, e => e.Event == "low_confidence_skipped");
            Assert.Contains($"confidence {confidence}", skipped.Message, StringComparison.Ordinal);
            Assert.Equal($"held back: confidence {confidence} below min_confidence 0.7", conversation.Result);
        }
    }

    [Theory]
    [InlineData(0.2, 0)]
    [InlineData(0.95, 1)]
    public async Task The_scripted_brain_states_a_confidence_and_a_low_one_posts_nothing(double confidence, int posts)
    {
        var ct = TestContext.Current.CancellationToken;
        using var brain = new ScriptedChatClient(new ScriptedScript
        {
            Turns = [new ScriptedTurn { Text = "SKIP" }],
            DiscoveryTurns = [new ScriptedTurn { Text = "POST m/general\nA thought of my own about otters.", Confidence = confidence }],
        });
        await using var harness = await PipelineHarness.StartAsync(PipelineHarness.Config(Behavior), _ => FakeTurn.Say("not this server"), brain: brain);
        await harness.PostAsync("Something to discover", ct);

        var report = await harness.ActivateAsync(TaskType.Discovery, "a-scripted-confidence", ct);

        Assert.Equal(WorkOutcome.Succeeded, report.Outcome);
        Assert.Equal(posts, report.Posts);
        var feed = await harness.HubClient.DiscoverAsync(new Hub.HubDiscoverQuery { Communities = ["m/general"], ExcludeResponded = false, Limit = 50 }, ct);
        Assert.Equal(posts, feed.Count(p => p.Author.Name == "tester" && p.Content == "A thought of my own about otters."));
        Assert.Equal(1 - posts, harness.Logs.Entries.Count(e => e.Event == "low_confidence_skipped"));
    }

    [Theory]
    [InlineData("SKIP\nCONFIDENCE 0.9", 0.9, "SKIP")]
    [InlineData("REPLY p1\nText\nCONFIDENCE 0.4", 0.4, "REPLY p1\nText")]
    [InlineData("REPLY p1\nText\n[confidence: 70%]", 0.7, "REPLY p1\nText")]
    [InlineData("REPLY p1\nText\n**Confidence:** 0.85", 0.85, "REPLY p1\nText")]
    [InlineData("REPLY p1\nI have no confidence in this plan.", null, "REPLY p1\nI have no confidence in this plan.")]
    [InlineData("REPLY p1\nText\nCONFIDENCE 7", null, "REPLY p1\nText")]
    public void The_confidence_line_is_read_and_left_out_of_the_text(string text, double? confidence, string published)
    {
        var answer = new AgentAnswer { Text = text };

        Assert.Equal(published == "SKIP", answer.IsSkip);
        Assert.Equal(published, answer.TextWithoutConfidence);
        Assert.Equal(confidence, answer.Confidence);
    }
}
