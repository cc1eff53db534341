using Botburrow.Agents.Memory;
using Xunit;

namespace Botburrow.Agents.Work.Tests;

/// <summary>What every <see cref="IAgentMemoryStore"/> backend does, run against each of them.</summary>
public abstract class AgentMemoryStoreContractTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    protected abstract Task<IAgentMemoryStore> CreateAsync();

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    protected static AgentMemory Memory(string agent, string id, string text, int minute, float[]? embedding = null, string? subject = null) => new()
    {
        Id = id,
        Agent = agent,
        Kind = MemoryKind.Conversation,
        Text = text,
        Subject = subject,
        CreatedAt = Start.AddMinutes(minute),
        Embedding = embedding,
    };

    [Fact]
    public async Task Recent_ReturnsNewestFirst_AndOnlyTheAgentsOwn()
    {
        var store = await CreateAsync();
        await store.RememberAsync(Memory("ada", "m1", "first", 1), Token);
        await store.RememberAsync(Memory("ada", "m3", "third", 3), Token);
        await store.RememberAsync(Memory("ada", "m2", "second", 2), Token);
        await store.RememberAsync(Memory("bob", "b1", "other agent", 9), Token);

        var recent = await store.RecentAsync("ada", 2, Token);

        Assert.Equal(["m3", "m2"], recent.Select(m => m.Id));
        Assert.Equal("third", recent[0].Text);
        Assert.Equal(Start.AddMinutes(3), recent[0].CreatedAt);
    }

    [Fact]
    public async Task SearchKeyword_RanksMoreMatchedWordsFirst_ThenNewer_AndSkipsUnrelated()
    {
        var store = await CreateAsync();
        await store.RememberAsync(Memory("ada", "both", "Grace prefers Valkey over Redis for the cache", 1), Token);
        await store.RememberAsync(Memory("ada", "one-old", "Valkey cluster notes", 2), Token);
        await store.RememberAsync(Memory("ada", "one-new", "valkey, again", 3), Token);
        await store.RememberAsync(Memory("ada", "none", "lunch was good", 4), Token);

        var hits = await store.SearchKeywordAsync("ada", "Which cache does she use: valkey?", 10, Token);

        Assert.Equal(["both", "one-new", "one-old"], hits.Select(h => h.Memory.Id));
        Assert.Equal(2.0, hits[0].Score, 3);
        Assert.Equal(1.0, hits[1].Score, 3);
    }

    [Fact]
    public async Task SearchKeyword_HonoursTheCount_KeepingTheBest()
    {
        var store = await CreateAsync();
        for (var i = 0; i < 5; i++)
        {
            await store.RememberAsync(Memory("ada", "m" + i, "deploy note " + i, i), Token);
        }

        await store.RememberAsync(Memory("ada", "best", "deploy the release on friday", 0), Token);

        var hits = await store.SearchKeywordAsync("ada", "release deploy", 2, Token);

        Assert.Equal(["best", "m4"], hits.Select(h => h.Memory.Id));
    }

    [Fact]
    public async Task SearchEmbedding_ReturnsOnlyMemoriesAboveTheThreshold_BestFirst()
    {
        var store = await CreateAsync();
        await store.RememberAsync(Memory("ada", "close", "a", 1, [1f, 0.1f, 0f]), Token);
        await store.RememberAsync(Memory("ada", "exact", "b", 2, [2f, 0f, 0f]), Token);
        await store.RememberAsync(Memory("ada", "far", "c", 3, [0f, 1f, 0f]), Token);
        await store.RememberAsync(Memory("ada", "no-vector", "d", 4), Token);

        var hits = await store.SearchEmbeddingAsync("ada", new float[] { 1f, 0f, 0f }, 10, 0.7, Token);

        Assert.Equal(["exact", "close"], hits.Select(h => h.Memory.Id));
        Assert.Equal(1.0, hits[0].Score, 5);
        Assert.Equal([2f, 0f, 0f], hits[0].Memory.Embedding ?? []);
    }

    [Fact]
    public async Task Evict_RemovesTheOldestUntilTheSizeFits_AndUnindexesThem()
    {
        var store = await CreateAsync();
        var memories = Enumerable.Range(0, 4).Select(i => Memory("ada", "m" + i, "fact number " + i + " about kestrel", i)).ToList();
        foreach (var memory in memories)
        {
            await store.RememberAsync(memory, Token);
        }

        var total = memories.Sum(m => m.SizeInBytes);
        Assert.Equal(total, await store.SizeAsync("ada", Token));

        var evicted = await store.EvictAsync("ada", total - memories[0].SizeInBytes - 1, Token);

        Assert.Equal(["m0", "m1"], evicted);
        Assert.Equal(memories[2].SizeInBytes + memories[3].SizeInBytes, await store.SizeAsync("ada", Token));
        Assert.Equal(["m3", "m2"], (await store.SearchKeywordAsync("ada", "kestrel", 10, Token)).Select(h => h.Memory.Id));
        Assert.Empty(await store.EvictAsync("ada", total, Token));
    }

    [Fact]
    public async Task Forget_RemovesOneMemoryFromEverything()
    {
        var store = await CreateAsync();
        var keep = Memory("ada", "keep", "orchid watering schedule", 1);
        await store.RememberAsync(keep, Token);
        await store.RememberAsync(Memory("ada", "drop", "orchid repotting", 2), Token);

        Assert.True(await store.ForgetAsync("ada", "drop", Token));
        Assert.False(await store.ForgetAsync("ada", "drop", Token));

        Assert.Equal(["keep"], (await store.SearchKeywordAsync("ada", "orchid", 10, Token)).Select(h => h.Memory.Id));
        Assert.Equal(["keep"], (await store.RecentAsync("ada", 10, Token)).Select(m => m.Id));
        Assert.Equal(keep.SizeInBytes, await store.SizeAsync("ada", Token));
    }

    [Fact]
    public async Task Remember_WithAnExistingId_ReplacesAndReindexes()
    {
        var store = await CreateAsync();
        await store.RememberAsync(Memory("ada", "m", "old topic tulips", 1), Token);
        var replacement = Memory("ada", "m", "new topic roses", 2);
        await store.RememberAsync(replacement, Token);

        Assert.Empty(await store.SearchKeywordAsync("ada", "tulips", 10, Token));
        Assert.Single(await store.SearchKeywordAsync("ada", "roses", 10, Token));
        Assert.Equal(replacement.SizeInBytes, await store.SizeAsync("ada", Token));
    }

    [Fact]
    public async Task Clear_RemovesAllOfOneAgent_AndNoOtherAgent()
    {
        var store = await CreateAsync();
        await store.RememberAsync(Memory("ada", "a1", "shared word", 1), Token);
        await store.RememberAsync(Memory("ada", "a2", "shared word too", 2), Token);
        await store.RememberAsync(Memory("bob", "b1", "shared word", 3), Token);

        Assert.Equal(2, await store.ClearAsync("ada", Token));

        Assert.Empty(await store.RecentAsync("ada", 10, Token));
        Assert.Empty(await store.SearchKeywordAsync("ada", "shared", 10, Token));
        Assert.Equal(0, await store.SizeAsync("ada", Token));
        Assert.Equal(["b1"], (await store.SearchKeywordAsync("bob", "shared", 10, Token)).Select(h => h.Memory.Id));
    }
}
