using System.Collections.Concurrent;
using Botburrow.Agents.Redis;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Botburrow.Agents.Work.Tests;

/// <summary>Redis refusing connections: a clear error naming the masked URL, retries with backoff, and no lost work.</summary>
public sealed class RedisOutageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UnreachableRedis_ErrorNamesTheUrlWithThePasswordMasked_AfterRetrying()
    {
        var url = $"redis://:s3cret-pw@127.0.0.1:{FreePort.Next()}";
        var logger = new ListLogger();
        await using var connection = await RedisConnection.ConnectAsync(url, retryFor: TimeSpan.FromSeconds(1), logger: logger);
        var queue = new RedisWorkQueue(connection);

        var error = await Assert.ThrowsAsync<WorkQueueUnavailableException>(() => queue.TryClaimAsync("runner-1", RunnerMode.Hybrid, Ct));
        Assert.Contains("redis://:****@127.0.0.1:", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
        Assert.Contains("(claim)", error.Message, StringComparison.Ordinal);

        // It retried, with growing delays, and never logged the password.
        var retries = logger.Lines.Where(l => l.Contains("redis_unavailable", StringComparison.Ordinal) && l.Contains("operation=claim", StringComparison.Ordinal)).ToList();
        Assert.True(retries.Count >= 2, string.Join('\n', logger.Lines));
        Assert.Contains("retry_in_ms=100", retries[0], StringComparison.Ordinal);
        Assert.Contains("retry_in_ms=200", retries[1], StringComparison.Ordinal);
        Assert.All(logger.Lines, l => Assert.DoesNotContain("s3cret", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RedisRestart_WorkQueuedBeforeAndDuringTheOutageIsNotLost()
    {
        await using var redis = new RedisServerFixture { AppendOnly = true };
        await redis.InitializeAsync();
        redis.EnsureAvailable();
        var logger = new ListLogger();
        await using var connection = await RedisConnection.ConnectAsync(redis.Url, retryFor: TimeSpan.FromMinutes(1), logger: logger);
        var queue = new RedisWorkQueue(connection, new WorkQueueOptions { KeyPrefix = "outage:" });
        var leader = await queue.TryAcquireOrRenewAsync("coordinator", TimeSpan.FromMinutes(5), Ct);
        Assert.Equal(EnqueueOutcome.Enqueued, await queue.EnqueueAsync(new WorkItem { AgentId = "before", TaskType = TaskType.Inbox, Priority = WorkPriority.High }, leader!.Epoch, Ct));

        redis.Kill();

        // During the outage the enqueue keeps retrying instead of failing (or crashing the process).
        var during = queue.EnqueueAsync(new WorkItem { AgentId = "during", TaskType = TaskType.Inbox, Priority = WorkPriority.Normal }, leader.Epoch, Ct);
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (logger.Lines.Count(l => l.Contains("operation=enqueue", StringComparison.Ordinal)) < 2 && !during.IsCompleted && deadline.Elapsed < TestConstants.DefaultTimeout)
        {
            await Task.Delay(50, Ct);
        }

        Assert.False(during.IsCompleted);
        Assert.Contains(logger.Lines, l => l.Contains("redis_unavailable", StringComparison.Ordinal) && l.Contains(redis.Url, StringComparison.Ordinal));

        await redis.RestartAsync();
        Assert.Equal(EnqueueOutcome.Enqueued, await during.WaitAsync(TestConstants.DefaultTimeout, Ct));

        var first = await queue.TryClaimAsync("runner-1", RunnerMode.Notification, Ct);
        var second = await queue.TryClaimAsync("runner-1", RunnerMode.Notification, Ct);
        Assert.Equal(["before", "during"], new[] { first!.Item.AgentId, second!.Item.AgentId });
    }

    private sealed class ListLogger : ILogger
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyList<string> Lines => [.. _lines];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => _lines.Enqueue(formatter(state, exception));
    }
}
