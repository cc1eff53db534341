using Botburrow.Agents.Redis;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Agents.Work.Tests;

public sealed class RedisUrlTests
{
    [Fact]
    public void Parse_ReadsHostPortPasswordUserAndDatabase()
    {
        var options = RedisUrl.Parse("redis://app:p%40ss@valkey.botburrow-agents.svc.cluster.local:6380/3");
        Assert.Equal("valkey.botburrow-agents.svc.cluster.local:6380", options.EndPoints.Single().ToString()!.Replace("Unspecified/", "", StringComparison.Ordinal));
        Assert.Equal("app", options.User);
        Assert.Equal("p@ss", options.Password);
        Assert.Equal(3, options.DefaultDatabase);
        Assert.False(options.AbortOnConnectFail);
        Assert.False(options.Ssl);

        var bare = RedisUrl.Parse("valkey://:only-password@127.0.0.1");
        Assert.Null(bare.User);
        Assert.Equal("only-password", bare.Password);
        Assert.Contains(":6379", bare.EndPoints.Single().ToString(), StringComparison.Ordinal);
        Assert.True(RedisUrl.Parse("rediss://h:6390").Ssl);
    }

    [Fact]
    public void Parse_BadUrl_NamesItWithThePasswordMasked()
    {
        var error = Assert.Throws<ArgumentException>(() => RedisUrl.Parse("redis://:hunter2@host:6379/not-a-db"));
        Assert.Contains("redis://:****@host:6379/not-a-db", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.Contains("http://x", Assert.Throws<ArgumentException>(() => RedisUrl.Parse("http://x")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BackoffFor_DoublesFromTheBaseAfterMaxFailures_UpToTheMax()
    {
        var options = new WorkQueueOptions();
        Assert.Equal(TimeSpan.Zero, options.BackoffFor(4));
        long[] expected = [60, 120, 240, 480, 960, 1920, 3600, 3600];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(TimeSpan.FromSeconds(expected[i]), options.BackoffFor(5 + i));
        }

        Assert.Equal(TimeSpan.FromSeconds(3600), options.BackoffFor(1000));
    }

    [Fact]
    public void Keys_WithoutPrefix_AreTheGuideNames()
    {
        var keys = new RedisKeys();
        Assert.Equal("work:queue:high", keys.Queue(WorkPriority.High));
        Assert.Equal("work:queue:normal", keys.Queue(WorkPriority.Normal));
        Assert.Equal("work:queue:low", keys.Queue(WorkPriority.Low));
        Assert.Equal("work:active", keys.Active);
        Assert.Equal("activation:abc", keys.Activation("abc"));
        Assert.Equal("work:leases", keys.Leases);
        Assert.Equal("work:failures", keys.Failures);
        Assert.Equal("work:backoff", keys.Backoff);
        Assert.Equal("work:dead", keys.Dead);
        Assert.Equal("coordinator:leader", keys.Leader);
        Assert.Equal("coordinator:epoch", keys.Epoch);
        Assert.Equal("runner:heartbeat:r1", keys.RunnerHeartbeat("r1"));
        Assert.Equal("t:work:backoff", new RedisKeys("t:").Backoff);
    }
}
