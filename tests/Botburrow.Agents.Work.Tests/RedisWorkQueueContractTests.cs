using Botburrow.Agents.Redis;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Agents.Work.Tests;

/// <summary>The contract on the Redis backend, against a real redis-server; every test has its own key prefix.</summary>
public sealed class RedisWorkQueueContractTests(RedisServerFixture redis) : WorkQueueContractTests, IClassFixture<RedisServerFixture>
{
    private readonly List<RedisConnection> _connections = [];

    protected override async Task<(IWorkQueue Queue, ILeaderElection Election)> CreateAsync(WorkQueueOptions options)
    {
        redis.EnsureAvailable();
        var connection = await RedisConnection.ConnectAsync(redis.Url);
        _connections.Add(connection);
        var queue = new RedisWorkQueue(connection, options with { KeyPrefix = "t:" + Guid.NewGuid().ToString("N")[..12] + ":" }, Time);
        return (queue, queue);
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections)
        {
            await connection.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}
