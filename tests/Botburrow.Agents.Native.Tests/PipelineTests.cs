using Botburrow.Agents.Testing;
using Botburrow.Agents.Runner.Consumption;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Agents.Native.Tests;

/// <summary>Behaviour limits, the budget stop, consumption and transcripts through the real pipeline and the dev Hub.</summary>
public sealed class PipelineTests
{
    [Fact]
    public async Task DefaultSystemPrompt_ListsExactlyTheToolsSentToTheModel()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await PipelineHarness.StartAsync(PipelineHarness.Config(), _ => FakeTurn.Say("Happy to help."));
        await harness.PostAsync("@tester which tools do you have?", ct);

        var report = await harness.ActivateAsync(TaskType.Inbox, "a-tools", ct);

        Assert.Equal(WorkOutcome.Succeeded, report.Outcome);
        var body = Assert.Single(harness.Model.Requests).Body;
        var sent = body.GetProperty("tools").EnumerateArray().Select(t => t.GetProperty("name").GetString()!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["hub_get_notifications", "hub_get_thread", "hub_post", "hub_search"], sent);
        var systemElement = body.GetProperty("system");
        var system = systemElement.ValueKind == System.Text.Json.JsonValueKind.Array
            ? string.Concat(systemElement.EnumerateArray().Select(b => b.GetProperty("text").GetString()))
            : systemElement.GetString()!;
        Assert.DoesNotContain("no tools", system, StringComparison.Ordinal);
        var listed = system.ReplaceLineEndings("\n").Split('\n')
            .SkipWhile(l => !l.StartsWith("Your tools:", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => l.StartsWith("- ", StringComparison.Ordinal))
            .Select(l => l[2..].Split(':')[0])
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(sent, listed);
    }

    [Fact]
    public async Task MaxDailyComments_SecondMention_IsSkippedAndMarkedRead()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await PipelineHarness.StartAsync(PipelineHarness.Config(LimitLines(comments: 1)), _ => FakeTurn.Say("Happy to help."));
        var first = await harness.PostAsync("@tester first question", ct);
        var second = await harness.PostAsync("@tester second question", ct);

        var report = await harness.ActivateAsync(TaskType.Inbox, "a-comments", ct);

        Assert.Equal(WorkOutcome.Succeeded, report.Outcome);
        Assert.Equal(1, report.Replies);
        Assert.Equal(1, report.Skipped);
        Assert.Equal(1, await harness.AgentCommentsAsync(first, ct) + await harness.AgentCommentsAsync(second, ct));
        Assert.Equal(0, await harness.UnreadAsync(ct));
        Assert.Single(harness.Model.Requests); // the limit is checked before the model is asked
    }

    [Fact]
    public async Task MaxResponsesPerThread_SecondMentionInTheSameThread_IsSkipped()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await PipelineHarness.StartAsync(PipelineHarness.Config(LimitLines(perThread: 1)), _ => FakeTurn.Say("Happy to help."));
        var post = await harness.PostAsync("@tester what about this?", ct);
        await harness.ActivateAsync(TaskType.Inbox, "a-thread-1", ct);
        await harness.CommentAsync(post, "@tester and a follow-up?", ct);

        var report = await harness.ActivateAsync(TaskType.Inbox, "a-thread-2", ct);

        Assert.Equal(WorkOutcome.Succeeded, report.Outcome);
        Assert.Equal(0, report.Replies);
        Assert.Equal(1, report.Skipped);
        Assert.Equal(1, await harness.AgentCommentsAsync(post, ct));
        Assert.Single(harness.Model.Requests);
        Assert.Equal(1, (await harness.Activity.GetAsync("tester", post, ct)).ThreadResponses);
    }

    [Fact]
    public async Task MinInterval_SecondMention_StaysUnreadForTheNextActivation()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await PipelineHarness.StartAsync(PipelineHarness.Config(LimitLines(interval: 3600)), _ => FakeTurn.Say("Happy to help."));
        await harness.PostAsync("@tester first question", ct);
        await harness.PostAsync("@tester second question", ct);

        var report = await harness.ActivateAsync(TaskType.Inbox, "a-interval", ct);

        Assert.Equal(WorkOutcome.Succeeded, report.Outcome);
        Assert.Equal(1, report.Replies);
        Assert.Equal(1, await harness.UnreadAsync(ct));
        Assert.Single(harness.Model.Requests);
    }

    [Fact]
    public async Task MaxDailyPosts_Reached_DiscoveryPostIsNotCreated()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await PipelineHarness.StartAsync(
            PipelineHarness.Config("  limits:\n    max_daily_posts: 1\n    min_interval_seconds: 0"),
            _ => FakeTurn.Say("POST m/general\nA thought of my own."));
        await harness.PostAsync("Something to discover", ct);
        await harness.Activity.RecordAsync("tester", AgentAction.Post, null, ct);
        var before = (await harness.HubClient.DiscoverAsync(new Hub.HubDiscoverQuery { Communities = ["m/general"], ExcludeResponded = false, Limit = 50 }, ct)).Count;

        var report = await harness.ActivateAsync(TaskType.Discovery, "a-posts", ct);

        Assert.Equal(WorkOutcome.Succeeded, report.Outcome);
        Assert.Equal(0, report.Posts);
        Assert.Equal(before, (await harness.HubClient.DiscoverAsync(new Hub.HubDiscoverQuery { Communities = ["m/general"], ExcludeResponded = false, Limit = 50 }, ct)).Count);
        Assert.Single(harness.Model.Requests);
        Assert.DoesNotContain("POST <community>", harness.Model.Requests[0].Body.GetProperty("messages").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CanCreatePostsFalse_DiscoveryPostIsRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await PipelineHarness.StartAsync(
            PipelineHarness.Config("  can_create_posts: false\n  limits:\n    min_interval_seconds: 0"),
            _ => FakeTurn.Say("POST m/general\nA thought of my own."));
        await harness.PostAsync("Something to discover", ct);

        var report = await harness.ActivateAsync(TaskType.Discovery, "a-can-create", ct);

        Assert.Equal(WorkOutcome.Succeeded, report.Outcome);
        Assert.Equal(0, report.Posts);
        Assert.Equal(1, report.Skipped);
        Assert.Equal(0, (await harness.Activity.GetAsync("tester", null, ct)).PostsToday);
        Assert.DoesNotContain("POST <community>", harness.Model.Requests[0].Body.GetProperty("messages").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Budget_NextCallWouldExceedIt_StopsAsRefusedByBudgetAndReportsExactConsumption()
    {
        var ct = TestContext.Current.CancellationToken;

        // claude-sonnet-4-5: $3 / $15 per million tokens; 2000 in + 100 out = $0.0075 a call; the day's budget is $0.01.
        await using var harness = await PipelineHarness.StartAsync(PipelineHarness.Config(LimitLines()), _ => FakeTurn.Say("Happy to help.", input: 2000, output: 100), dailyLimitUsd: 0.01);
        await harness.PostAsync("@tester first question", ct);
        await harness.PostAsync("@tester second question", ct);

        var report = await harness.ActivateAsync(TaskType.Inbox, "a-budget", ct);

        Assert.Equal(WorkOutcome.RefusedByBudget, report.Outcome);
        Assert.Contains("budget exhausted", report.Error, StringComparison.Ordinal);
        Assert.Single(harness.Model.Requests);
        Assert.Equal(1, report.Replies);
        Assert.Equal(1, await harness.UnreadAsync(ct));
        Assert.Equal(2000, report.InputTokens);
        Assert.Equal(100, report.OutputTokens);
        Assert.Equal(0.0075m, report.CostUsd);
        var budget = await harness.HubClient.GetBudgetHealthAsync("tester", ct);
        Assert.Equal(0.0075, budget.DailyUsed, 9);

        var transcript = await harness.Transcripts.GetAsync("a-budget", ct);
        Assert.NotNull(transcript);
        Assert.Equal("refused_by_budget", transcript.Outcome);
        Assert.Equal(2, transcript.Conversations.Count);
        Assert.StartsWith("stopped: budget exhausted", transcript.Conversations[1].Result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutHubWrite_MentionsAreNotAnswered_MarkedRead_AndTheActivationFailsWithThePostFailure()
    {
        var ct = TestContext.Current.CancellationToken;
        var readOnly = PipelineHarness.Config().Replace("\n    - hub:write", "", StringComparison.Ordinal);
        Assert.DoesNotContain("hub:write", readOnly, StringComparison.Ordinal);
        await using var harness = await PipelineHarness.StartAsync(readOnly, _ => FakeTurn.Say("An answer nobody may publish."));
        var first = await harness.PostAsync("@tester first question", ct);
        var second = await harness.PostAsync("@tester second question", ct);

        var report = await harness.ActivateAsync(TaskType.Inbox, "a-read-only", ct);

        Assert.Equal(WorkOutcome.Failed, report.Outcome);
        Assert.Equal("Failed to post response: 403 Forbidden (agent tester lacks hub:write)", report.Error);
        Assert.Equal((0, 2), (report.Replies, report.Skipped));
        Assert.Equal(0, await harness.AgentCommentsAsync(first, ct) + await harness.AgentCommentsAsync(second, ct));
        Assert.Empty(harness.Model.Requests); // nothing it answered could be published, so it is not asked
        Assert.Equal(0, await harness.UnreadAsync(ct)); // marked read: the same mentions do not run again
        var transcript = await harness.Transcripts.GetAsync("a-read-only", ct);
        Assert.NotNull(transcript);
        Assert.Equal("failed", transcript.Outcome);
        Assert.All(transcript.Conversations, c => Assert.Equal("refused: " + report.Error, c.Result));

        var again = await harness.ActivateAsync(TaskType.Inbox, "a-read-only-2", ct);
        Assert.Equal((WorkOutcome.Succeeded, 0), (again.Outcome, again.NotificationsProcessed));

        var discovery = await harness.ActivateAsync(TaskType.Discovery, "a-read-only-discovery", ct);
        Assert.Equal(WorkOutcome.Failed, discovery.Outcome);
        Assert.Equal(report.Error, discovery.Error);
        Assert.Empty(harness.Model.Requests);
    }

    [Fact]
    public async Task Activation_StoresTranscriptAndReportsTheFakeServersUsage()
    {
        var ct = TestContext.Current.CancellationToken;
        var skill = "---\nname: thread-summary\ndescription: Summarise the thread before answering\nrequires_grants:\n  - hub:read\n---\n\n# body\n";
        var secret = "---\nname: repo-admin\ndescription: Administer repositories\nrequires_grants:\n  - github:admin\n---\n\n# body\n";
        await using var harness = await PipelineHarness.StartAsync(
            PipelineHarness.Config(LimitLines(), "capabilities_extra: {}").Replace("capabilities_extra: {}", "", StringComparison.Ordinal).Replace("    - hub:write", "    - hub:write\n  skills:\n    - thread-summary\n    - repo-admin", StringComparison.Ordinal),
            _ => FakeTurn.Say("Here is my answer.", input: 1234, output: 56),
            skills: new Dictionary<string, string> { ["thread-summary"] = skill, ["repo-admin"] = secret });
        var post = await harness.PostAsync("@tester please answer", ct);

        var report = await harness.ActivateAsync(TaskType.Inbox, "a-transcript", ct);

        Assert.Equal(WorkOutcome.Succeeded, report.Outcome);
        Assert.Equal(1, await harness.AgentCommentsAsync(post, ct));
        Assert.Equal(1234, report.InputTokens);
        Assert.Equal(56, report.OutputTokens);
        Assert.Equal(ModelPriceTable.Default.Cost(FakeModelServer.AnthropicModel, 1234, 56), report.CostUsd);
        Assert.Equal((double)report.CostUsd!.Value, (await harness.HubClient.GetBudgetHealthAsync("tester", ct)).DailyUsed, 9);

        var system = harness.Model.Requests[0].Body.GetProperty("system").GetRawText();
        Assert.Contains("@tester", system, StringComparison.Ordinal);
        Assert.Contains("hub:read", system, StringComparison.Ordinal);
        Assert.Contains("thread-summary: Summarise the thread before answering", system, StringComparison.Ordinal);
        Assert.DoesNotContain("repo-admin", system, StringComparison.Ordinal);

        var transcript = await harness.Transcripts.GetAsync("a-transcript", ct);
        Assert.NotNull(transcript);
        Assert.Equal("succeeded", transcript.Outcome);
        Assert.Equal(1234, transcript.InputTokens);
        var conversation = Assert.Single(transcript.Conversations);
        Assert.Equal("answered", conversation.Result);
        Assert.Contains(conversation.Entries, e => e.Role == "system" && e.Kind == "text");
        Assert.Contains(conversation.Entries, e => e.Role == "user" && e.Text!.Contains("please answer", StringComparison.Ordinal));
        Assert.Contains(conversation.Entries, e => e.Role == "assistant" && e.Text == "Here is my answer.");
        Assert.Contains(conversation.Entries, e => e.Kind == "usage" && e.InputTokens == 1234 && e.OutputTokens == 56);
    }

    private static string LimitLines(int comments = 50, int perThread = 3, int interval = 0)
        => $"  limits:\n    max_daily_posts: 5\n    max_daily_comments: {comments}\n    max_responses_per_thread: {perThread}\n    min_interval_seconds: {interval}";
}
