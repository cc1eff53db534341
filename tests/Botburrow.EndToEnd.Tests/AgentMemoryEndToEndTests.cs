using Botburrow.Agents.Memory;
using Botburrow.Agents.Runner.Memory;
using Botburrow.Agents.Work;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Botburrow.EndToEnd.Tests;

/// <summary>
/// Memory from one activation to a later one, everything in this process with the dev Hub and the scripted model:
/// an exchange with a listed person is remembered, one with an unlisted person is not, and the later activation's
/// prompt (as its transcript shows) carries the recalled memory in its marked section.
/// </summary>
public sealed class AgentMemoryEndToEndTests : IDisposable
{
    private readonly TestAgents _agents = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _agents.Dispose();

    [Fact]
    public async Task ALaterActivation_RecallsAFactFromAListedPerson_AndNothingFromAnUnlistedOne()
    {
        _agents.AddAgent("keeper");
        File.AppendAllText(Path.Combine(_agents.DefinitionsDirectory, "agents", "keeper", "config.yaml"), """

            memory:
              enabled: true
              remember:
                conversations_with: [grace]
              retrieval:
                strategy: keyword
                max_context_items: 5
            """);
        _agents.Script("keeper", "Noted: {{quote}}");
        await using var fleet = await InProcessFleet.StartAsync(_agents, cancellationToken: Cancel);
        var store = fleet.Services.GetRequiredService<IAgentMemoryStore>();

        var first = await fleet.Probe.MentionAsync("keeper", "@keeper the staging database is valkey", user: "grace", cancellationToken: Cancel);
        await Eventually.WaitAsync(async () => (await fleet.Probe.RepliesAsync(first, "keeper", Cancel)).Count > 0, "the first reply", cancellationToken: Cancel);
        var second = await fleet.Probe.MentionAsync("keeper", "@keeper the staging database is oracle", user: "mallory", cancellationToken: Cancel);
        await Eventually.WaitAsync(async () => (await fleet.Probe.RepliesAsync(second, "keeper", Cancel)).Count > 0, "the second reply", cancellationToken: Cancel);

        var kept = Assert.Single(await store.RecentAsync("keeper", 10, Cancel));
        Assert.Equal("grace", kept.Subject);
        Assert.Contains("valkey", kept.Text, StringComparison.Ordinal);

        var third = await fleet.Probe.MentionAsync("keeper", "@keeper which staging database did I mention?", user: "grace", cancellationToken: Cancel);
        await Eventually.WaitAsync(async () => (await fleet.Probe.RepliesAsync(third, "keeper", Cancel)).Count > 0, "the third reply", cancellationToken: Cancel);
        var activationId = await Eventually.WaitAsync(
            () => Task.FromResult(fleet.Log.Named("activation_completed").Where(e => e["AgentId"] == "keeper").Select(e => e["ActivationId"]).ElementAtOrDefault(2)),
            "the third activation to complete", cancellationToken: Cancel);
        var transcript = await Eventually.WaitAsync(
            async () => await fleet.Services.GetRequiredService<ITranscriptStore>().GetAsync(activationId!, Cancel),
            "the third activation's transcript", cancellationToken: Cancel);
        var prompt = string.Join("\n", transcript.Conversations.SelectMany(c => c.Entries).Select(e => e.Text));

        Assert.Contains(MemoryPromptSection.Heading, prompt, StringComparison.Ordinal);
        Assert.Contains($"[memory {kept.Id}]", prompt, StringComparison.Ordinal);
        Assert.Contains("valkey", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("oracle", prompt, StringComparison.Ordinal);
    }
}
