using Botburrow.Agents.Memory;
using Botburrow.Agents.Redis;
using Botburrow.Agents.Testing;
using StackExchange.Redis;
using Xunit;

namespace Botburrow.Agents.Work.Tests;

/// <summary>The memory contract against a real redis-server (each test under its own key prefix), plus the documented key layout.</summary>
public sealed class RedisAgentMemoryStoreTests(RedisServerFixture redis) : AgentMemoryStoreContractTests, IClassFixture<RedisServerFixture>, IAsyncDisposable
{
    private readonly List<RedisConnection> _connections = [];
    private string _prefix = "";

    protected override async Task<IAgentMemoryStore> CreateAsync()
    {
        redis.EnsureAvailable();
        var connection = await RedisConnection.ConnectAsync(redis.Url);
        _connections.Add(connection);
        _prefix = "t:" + Guid.NewGuid().ToString("N")[..12] + ":";
        return new RedisAgentMemoryStore(connection, new RedisKeys(_prefix));
    }

    [Fact]
    public async Task Keys_FollowTheDocumentedLayout_AndClearLeavesNoKeyBehind()
    {
        var store = await CreateAsync();
        var db = _connections[0].Database;
        await store.RememberAsync(Memory("ada", "m1", "Grace likes tea", 1), Token);

        Assert.True(await db.HashExistsAsync(_prefix + "memory:ada:items", "m1"));
        Assert.Equal(Start(1).ToUnixTimeMilliseconds(), (long)(await db.SortedSetScoreAsync(_prefix + "memory:ada:order", "m1"))!.Value);
        Assert.Equal(1.0, await db.SortedSetScoreAsync(_prefix + "memory:ada:word:grace", "m1"));
        Assert.Equal("grace likes tea", (string?)await db.HashGetAsync(_prefix + "memory:ada:words", "m1"));

        await store.ClearAsync("ada", Token);

        var server = _connections[0].Multiplexer.GetServers()[0];
        Assert.Empty(server.Keys(pattern: _prefix + "*").ToList());
    }

    private static DateTimeOffset Start(int minute) => new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero).AddMinutes(minute);

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }
    }
}
