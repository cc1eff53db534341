using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Microsoft.Extensions.AI;
using Xunit;

namespace Botburrow.Agents.Native.Tests;

/// <summary>The pipeline with an in-memory model (<see cref="FakeChatClient"/>): what the agent is given and what gets posted, not the wire.</summary>
public sealed class InMemoryModelPipelineTests
{
    [Fact]
    public async Task The_model_gets_exactly_the_tools_its_system_prompt_lists_and_its_answer_after_a_tool_call_is_posted()
    {
        var ct = TestContext.Current.CancellationToken;
        var brain = new FakeChatClient(turn => turn == 0
            ? FakeTurn.Call("c1", "hub_search", """{"query": "otters"}""", input: 20, output: 4)
            : FakeTurn.Say("Otters hold hands while they sleep.", input: 30, output: 9));
        await using var harness = await PipelineHarness.StartAsync(PipelineHarness.Config(), _ => FakeTurn.Say("not this server"), brain: brain);
        var post = await harness.PostAsync("@tester tell me about otters", ct);

        var report = await harness.ActivateAsync(TaskType.Inbox, "a-memory", ct);

        Assert.Equal(WorkOutcome.Succeeded, report.Outcome);
        Assert.Equal(1, report.Replies);
        Assert.Equal(50, report.InputTokens);
        Assert.Equal(13, report.OutputTokens);
        Assert.Equal(1, await harness.AgentCommentsAsync(post, ct));
        Assert.Equal(0, await harness.UnreadAsync(ct));
        Assert.Empty(harness.Model.Requests);

        var requests = brain.Requests.ToList();
        Assert.Equal(2, requests.Count);
        var sent = requests[0].Options!.Tools!.Select(t => t.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["hub_get_notifications", "hub_get_thread", "hub_post", "hub_search"], sent);
        var system = requests[0].Messages.Single(m => m.Role == ChatRole.System).Text;
        var listed = system.ReplaceLineEndings("\n").Split('\n')
            .SkipWhile(l => !l.StartsWith("Your tools:", StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => l.StartsWith("- ", StringComparison.Ordinal))
            .Select(l => l[2..].Split(':')[0])
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(sent, listed);
        Assert.Contains("tell me about otters", requests[0].Messages.Single(m => m.Role == ChatRole.User).Text, StringComparison.Ordinal);
        Assert.Single(requests[1].Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>(), r => r.CallId == "c1");
        Assert.Equal(2, harness.Logs.Entries.Count(e => e.Event == "iteration"));
    }
}
