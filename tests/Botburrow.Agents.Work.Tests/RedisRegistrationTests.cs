using Botburrow.Agents.Configuration;
using Botburrow.Agents.Redis;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Botburrow.Agents.Work.Tests;

public sealed class RedisRegistrationTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task AddRedisWorkQueue_RegistersOneQueueForBothContracts_WithTheSettings()
    {
        redis.EnsureAvailable();
        var settings = SettingsLoader.Load(new Dictionary<string, string?>
        {
            ["REDIS_URL"] = redis.Url,
            ["LEASE_DURATION"] = "20",
            ["MAX_ATTEMPTS"] = "4",
            ["BREAKER_MAX_FAILURES"] = "7",
        });
        var services = new ServiceCollection().AddRedisWorkQueue(settings, keyPrefix: "di:").AddRedisWorkQueue(settings);
        await using var provider = services.BuildServiceProvider();

        var queue = provider.GetRequiredService<IWorkQueue>();
        Assert.Same(queue, provider.GetRequiredService<ILeaderElection>());
        Assert.Same(queue, provider.GetRequiredService<RedisWorkQueue>());
        var options = provider.GetRequiredService<WorkQueueOptions>();
        Assert.Equal(TimeSpan.FromSeconds(20), options.LeaseDuration);
        Assert.Equal(4, options.MaxAttempts);
        Assert.Equal(7, options.BreakerMaxFailures);
        Assert.Equal("di:", options.KeyPrefix);
        Assert.Equal(0, (await queue.GetStatsAsync(TestContext.Current.CancellationToken)).Active);
    }

    [Fact]
    public void AddRedisWorkQueue_WithoutRedisUrl_NamesTheMissingSetting()
    {
        var settings = SettingsLoader.Load(new Dictionary<string, string?>());
        var error = Assert.Throws<SettingsException>(() => new ServiceCollection().AddRedisWorkQueue(settings));
        Assert.Contains("REDIS_URL is required", error.Message, StringComparison.Ordinal);
    }
}
