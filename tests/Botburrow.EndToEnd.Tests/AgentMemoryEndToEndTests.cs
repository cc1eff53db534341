using Botburrow.Agents.Memory;
using Botburrow.Agents.Runner.Memory;
using Botburrow.Agents.Testing;
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

    [Fact]
    public async Task EmbeddingSearch_RecallsByMeaning_WithEmbeddingsFromTheFakeOpenAICompatibleServer()
    {
        await using var embeddings = await FakeModelServer.StartAsync(FakeProvider.OpenAI, _ => FakeTurn.Say("unused"));
        _agents.AddAgent("vector");
        var config = Path.Combine(_agents.DefinitionsDirectory, "agents", "vector", "config.yaml");
        File.WriteAllText(config, File.ReadAllText(config).Replace("provider: anthropic", "provider: local\n  api_base: " + embeddings.BaseUrl + "/v1", StringComparison.Ordinal) + """

            memory:
              enabled: true
              remember:
                conversations_with: [grace]
              retrieval:
                strategy: embedding_search
                relevance_threshold: 0.3
            """);
        _agents.Script("vector", "Noted: {{quote}}");
        await using var fleet = await InProcessFleet.StartAsync(_agents, cancellationToken: Cancel);
        var store = fleet.Services.GetRequiredService<IAgentMemoryStore>();

        var first = await fleet.Probe.MentionAsync("vector", "@vector staging database runs valkey on port 6380", user: "grace", cancellationToken: Cancel);
        await Eventually.WaitAsync(async () => (await fleet.Probe.RepliesAsync(first, "vector", Cancel)).Count > 0, "the first reply", cancellationToken: Cancel);
        var kept = Assert.Single(await store.RecentAsync("vector", 10, Cancel));
        Assert.NotNull(kept.Embedding);

        var hits = await store.SearchEmbeddingAsync("vector", FakeModelServer.Embed("which database port does staging use"), 5, 0.3, Cancel);
        Assert.Equal(kept.Id, Assert.Single(hits).Memory.Id);
        Assert.Empty(await store.SearchEmbeddingAsync("vector", FakeModelServer.Embed("lunch pizza mushrooms"), 5, 0.3, Cancel));

        var second = await fleet.Probe.MentionAsync("vector", "@vector which database port does staging use?", user: "grace", cancellationToken: Cancel);
        await Eventually.WaitAsync(async () => (await fleet.Probe.RepliesAsync(second, "vector", Cancel)).Count > 0, "the second reply", cancellationToken: Cancel);
        var activationId = await Eventually.WaitAsync(
            () => Task.FromResult(fleet.Log.Named("activation_completed").Where(e => e["AgentId"] == "vector").Select(e => e["ActivationId"]).ElementAtOrDefault(1)),
            "the second activation to complete", cancellationToken: Cancel);
        var transcript = await Eventually.WaitAsync(
            async () => await fleet.Services.GetRequiredService<ITranscriptStore>().GetAsync(activationId!, Cancel),
            "the second activation's transcript", cancellationToken: Cancel);
        var prompt = string.Join("\n", transcript.Conversations.SelectMany(c => c.Entries).Select(e => e.Text));
        Assert.Contains($"[memory {kept.Id}]", prompt, StringComparison.Ordinal);
        Assert.True(embeddings.EmbeddingRequests >= 3, $"{embeddings.EmbeddingRequests} embedding requests");
    }
}
