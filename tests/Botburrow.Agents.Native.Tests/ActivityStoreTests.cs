using Botburrow.Agents.Redis;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Botburrow.Agents.Native.Tests;

/// <summary>The behaviour-limit state and transcripts, embedded and on a real redis-server, with one contract.</summary>
public sealed class ActivityStoreTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Counts_PerUtcDay_PerThread_AndLastPublication(bool onRedis)
    {
        var ct = TestContext.Current.CancellationToken;
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 23, 59, 0, TimeSpan.Zero));
        await using var connection = onRedis ? await ConnectAsync() : null;
        IAgentActivityStore store = connection is null
            ? new EmbeddedAgentActivityStore(time)
            : new RedisAgentActivityStore(connection, new RedisKeys("limits-" + Guid.NewGuid().ToString("N")[..8] + ":"), time);

        await store.RecordAsync("ada", AgentAction.Comment, "t1", ct);
        await store.RecordAsync("ada", AgentAction.Comment, "t1", ct);
        await store.RecordAsync("ada", AgentAction.Post, null, ct);

        var today = await store.GetAsync("ada", "t1", ct);
        Assert.Equal(new DateOnly(2026, 11, 29), today.Day);
        Assert.Equal(1, today.PostsToday);
        Assert.Equal(2, today.CommentsToday);
        Assert.Equal(2, today.ThreadResponses);
        Assert.Equal(time.GetUtcNow(), today.LastPublishedAt);
        Assert.Equal(0, (await store.GetAsync("bob", "t1", ct)).CommentsToday);

        time.Advance(TimeSpan.FromMinutes(2)); // the next UTC day
        var tomorrow = await store.GetAsync("ada", "t1", ct);
        Assert.Equal(0, tomorrow.PostsToday);
        Assert.Equal(0, tomorrow.CommentsToday);
        Assert.Equal(2, tomorrow.ThreadResponses); // threads are not per day
        Assert.NotNull(tomorrow.LastPublishedAt);
    }

    [Fact]
    public async Task Redis_UsesTheDocumentedKeysWithTtls()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = await ConnectAsync();
        var keys = new RedisKeys("keys-" + Guid.NewGuid().ToString("N")[..8] + ":");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        await new RedisAgentActivityStore(connection, keys, time).RecordAsync("ada", AgentAction.Comment, "p9", ct);
        await new RedisTranscriptStore(connection, keys).SaveAsync(new ActivationTranscript { ActivationId = "act1", AgentId = "ada", Task = TaskType.Inbox, StartedAt = time.GetUtcNow() }, TimeSpan.FromDays(7), ct);

        var db = connection.Database;
        Assert.Equal("1", (await db.HashGetAsync(keys.Prefix + "agent:limits:ada:2026-11-29", "comments")).ToString());
        Assert.InRange((await db.KeyTimeToLiveAsync(keys.Prefix + "agent:limits:ada:2026-11-29"))!.Value, TimeSpan.FromDays(1.9), TimeSpan.FromDays(2));
        Assert.Equal("1", (await db.StringGetAsync(keys.Prefix + "agent:limits:ada:thread:p9")).ToString());
        Assert.NotNull(await db.KeyTimeToLiveAsync(keys.Prefix + "agent:limits:ada:thread:p9"));
        Assert.NotNull(await db.KeyTimeToLiveAsync(keys.Prefix + "agent:limits:ada:last"));
        Assert.InRange((await db.KeyTimeToLiveAsync(keys.Prefix + "transcript:act1"))!.Value, TimeSpan.FromDays(6.9), TimeSpan.FromDays(7));
        Assert.Equal("ada", (await new RedisTranscriptStore(connection, keys).GetAsync("act1", ct))!.AgentId);
    }

    [Fact]
    public async Task EmbeddedTranscripts_InAFolder_ExpireAfterTheirTtl()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Path.Combine(Path.GetTempPath(), "botburrow-transcripts-" + Guid.NewGuid().ToString("N")[..8]);
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        var store = new EmbeddedTranscriptStore(folder, time);
        await store.SaveAsync(new ActivationTranscript { ActivationId = "act1", AgentId = "ada", Task = TaskType.Discovery, StartedAt = time.GetUtcNow() }, TimeSpan.FromHours(1), ct);

        Assert.Equal("ada", (await new EmbeddedTranscriptStore(folder, time).GetAsync("act1", ct))?.AgentId);
        time.Advance(TimeSpan.FromHours(2));
        Assert.Null(await store.GetAsync("act1", ct));
        Assert.Null(await new EmbeddedTranscriptStore(folder, time).GetAsync("act1", ct));
        Directory.Delete(folder, recursive: true);
    }

    private async Task<RedisConnection> ConnectAsync()
    {
        redis.EnsureAvailable();
        return await RedisConnection.ConnectAsync(redis.Url);
    }
}
