using System.Text;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Loading;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Memory;
using Botburrow.Agents.Runner.Memory;
using Botburrow.Agents.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Botburrow.Agents.Runner.Tests.Memory;

/// <summary>
/// What an agent remembers and recalls, by its definition: the listed people only, each retrieval strategy
/// (embeddings from the fake OpenAI-compatible server over HTTP), the keyword fallback, and eviction at max_size_mb.
/// </summary>
public sealed class AgentMemoryServiceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
    private readonly EmbeddedAgentMemoryStore _store = new(null);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Keyword_RecallsAFactFromAListedPerson_AndKeepsNothingFromAnUnlistedOne()
    {
        var agent = Agent("keyword");
        var service = Service();

        var kept = await service.RememberAsync(agent, MemoryKind.Conversation, "@Grace", "grace: our staging database is Valkey 8 on port 6380", "post-1", Token);
        var dropped = await service.RememberAsync(agent, MemoryKind.Conversation, "mallory", "mallory: the staging database is secretly Oracle", "post-2", Token);

        Assert.NotNull(kept);
        Assert.Null(dropped);
        var recalled = await service.RecallAsync(agent, "Which database runs staging?", Token);
        var memory = Assert.Single(recalled).Memory;
        Assert.Contains("Valkey 8", memory.Text, StringComparison.Ordinal);
        Assert.Equal("@Grace", memory.Subject);
        Assert.Null(memory.Embedding);
    }

    [Fact]
    public async Task EmbeddingSearch_StoresVectorsFromTheProvider_AndRecallsAboveTheThresholdOnly()
    {
        await using var server = await FakeModelServer.StartAsync(FakeProvider.OpenAI, _ => FakeTurn.Say("unused"));
        var agent = Agent("embedding_search", provider: "local", apiBase: server.BaseUrl + "/v1", threshold: 0.5);
        var service = Service();

        var valkey = await service.RememberAsync(agent, MemoryKind.Conversation, "grace", "staging database runs valkey on port 6380", null, Token);
        await service.RememberAsync(agent, MemoryKind.Conversation, "grace", "lunch order was pizza with mushrooms", null, Token);

        var recalled = await service.RecallAsync(agent, "which database port does staging use", Token);

        Assert.Equal(FakeModelServer.Embed(valkey!.Text), valkey.Embedding ?? []);
        var hit = Assert.Single(recalled);
        Assert.Equal(valkey.Id, hit.Memory.Id);
        Assert.True(hit.Score >= 0.5, $"score {hit.Score}");
        Assert.Equal(3, server.EmbeddingRequests);
    }

    [Fact]
    public async Task EmbeddingSearch_ForAProviderWithoutEmbeddings_FallsBackToKeyword()
    {
        var agent = Agent("embedding_search", provider: "anthropic");
        var service = Service();
        await service.RememberAsync(agent, MemoryKind.Conversation, "grace", "the release train leaves on thursday", null, Token);

        var recalled = await service.RecallAsync(agent, "when does the release train leave", Token);

        Assert.Single(recalled);
        Assert.Equal("keyword", agent.Memory.Retrieval.EffectiveStrategy(agent.Brain.Provider));
    }

    [Fact]
    public async Task Recent_ReturnsTheNewestUpToMaxContextItems()
    {
        var agent = Agent("recent", maxItems: 2);
        var service = Service();
        foreach (var word in new[] { "alpha", "beta", "gamma" })
        {
            await service.RememberAsync(agent, MemoryKind.Conversation, "grace", "note " + word, null, Token);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        var recalled = await service.RecallAsync(agent, "anything at all", Token);

        Assert.Equal(["note gamma", "note beta"], recalled.Select(r => r.Memory.Text));
    }

    [Fact]
    public async Task Remember_BeyondMaxSizeMb_EvictsTheOldest()
    {
        var agent = Agent("keyword", maxSizeMb: 1);
        var service = Service();
        var big = new string('x', 400 * 1024);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await service.RememberAsync(agent, MemoryKind.Project, null, $"project {i} {big}", null, Token))!.Id);
            _time.Advance(TimeSpan.FromMinutes(1));
        }

        var left = await _store.RecentAsync(agent.Name, 10, Token);

        Assert.Equal([ids[3], ids[2]], left.Select(m => m.Id));
        Assert.True(await service.SizeAsync(agent.Name, Token) <= 1024 * 1024);
    }

    [Fact]
    public async Task MemoryOff_KeepsAndRecallsNothing()
    {
        var on = Agent("keyword");
        var agent = on with { Memory = on.Memory with { Enabled = false } };
        var service = Service();

        Assert.Null(await service.RememberAsync(agent, MemoryKind.Conversation, "grace", "a fact", null, Token));
        Assert.Empty(await service.RecallAsync(agent, "fact", Token));
    }

    [Fact]
    public async Task KindsFollowTheirRememberSwitches()
    {
        var agent = Agent("keyword");
        var service = Service();

        Assert.NotNull(await service.RememberAsync(agent, MemoryKind.Project, null, "worked on the billing migration", null, Token));
        Assert.Null(await service.RememberAsync(agent, MemoryKind.Decision, null, "decided to skip tests", null, Token));
        Assert.NotNull(await service.RememberAsync(agent, MemoryKind.Feedback, "ron", "ron said the summary was too long", null, Token));
    }

    [Fact]
    public void PromptSection_MarksEveryMemoryWithItsId()
    {
        var memory = new AgentMemory { Id = "abc123", Agent = "a", Kind = MemoryKind.Conversation, Subject = "grace", Text = "line one\nline two", CreatedAt = _time.GetUtcNow() };

        var section = MemoryPromptSection.Format([new ScoredMemory(memory, 1)]);

        Assert.StartsWith(MemoryPromptSection.Heading, section, StringComparison.Ordinal);
        Assert.Contains("- [memory abc123] 2026-03-01, conversation with grace: line one line two", section, StringComparison.Ordinal);
        Assert.Equal("", MemoryPromptSection.Format([]));
    }

    private AgentMemoryService Service()
    {
        var settings = SettingsLoader.Load(new Dictionary<string, string?>());
        return new AgentMemoryService(_store, new EmbeddingGeneratorFactory(settings, new PermissionsPolicySource(null)), _time, NullLogger<AgentMemoryService>.Instance);
    }

    private static AgentDefinition Agent(string strategy, string provider = "anthropic", string? apiBase = null, double threshold = 0.7, int maxItems = 5, int maxSizeMb = 10)
    {
        var yaml = $"""
            name: rememberer
            type: native
            brain:
              provider: {provider}
              model: test-model
            {(apiBase is null ? "" : "  api_base: " + apiBase)}
            capabilities:
              grants: [hub:read]
            memory:
              enabled: true
              remember:
                conversations_with: [grace, "@ron"]
                projects_worked_on: true
                decisions_made: false
                feedback_received: true
              max_size_mb: {maxSizeMb}
              retrieval:
                strategy: {strategy}
                max_context_items: {maxItems}
                relevance_threshold: {threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)}
            """;
        var result = AgentDefinitionParser.ParseAgent(Encoding.UTF8.GetBytes(yaml), "test/config.yaml");
        Assert.Empty(result.Problems);
        return result.Value!;
    }
}
