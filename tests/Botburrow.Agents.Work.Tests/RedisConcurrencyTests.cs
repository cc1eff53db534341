using System.Collections.Concurrent;
using System.Diagnostics;
using Botburrow.Agents.Redis;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Agents.Work.Tests;

/// <summary>Eight concurrent claimers on one real Redis: exactly-once completion, one run per agent, priority order and low's share.</summary>
public sealed class RedisConcurrencyTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private const int Claimers = 8;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private sealed record Run(string Tag, string Agent, WorkPriority Priority, long Sequence, long ClaimedTicks, long CompletedTicks);

    [Fact]
    public async Task TwoThousandItemsOverTwoHundredAgents_EachCompletedOnce_NoAgentRunsTwiceAtOnce()
    {
        redis.EnsureAvailable();
        await using var connection = await RedisConnection.ConnectAsync(redis.Url);
        var queue = new RedisWorkQueue(connection, new WorkQueueOptions { KeyPrefix = "load:" + Guid.NewGuid().ToString("N")[..8] + ":", LeaseDuration = TimeSpan.FromMinutes(2) });
        var epoch = (await queue.TryAcquireOrRenewAsync("coordinator", TimeSpan.FromMinutes(10), Ct))!.Epoch;
        const int agents = 200;
        const int perAgent = 10;
        var clock = Stopwatch.StartNew();
        var runs = new ConcurrentBag<Run>();
        var claimedTags = new ConcurrentDictionary<string, int>();
        var completions = Enumerable.Range(0, agents).Select(_ => new SemaphoreSlim(0)).ToArray();
        var outcomes = new ConcurrentBag<EnqueueOutcome>();
        using var done = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        // Each agent's producer enqueues its next item once the previous one completed, so all 2,000 are distinct work.
        var producers = Enumerable.Range(0, agents).Select(a => Task.Run(async () =>
        {
            for (var i = 0; i < perAgent; i++)
            {
                var priority = (WorkPriority)((a + i) % 3);
                var item = new WorkItem { AgentId = $"agent-{a}", TaskType = priority == WorkPriority.Low ? TaskType.Discovery : TaskType.Inbox, Priority = priority, TraceParent = $"{a}-{i}" };
                outcomes.Add(await queue.EnqueueAsync(item, epoch, Ct));
                await completions[a].WaitAsync(Ct);
            }
        })).ToArray();

        RunnerMode[] modes = [RunnerMode.Hybrid, RunnerMode.Hybrid, RunnerMode.Hybrid, RunnerMode.Hybrid, RunnerMode.Notification, RunnerMode.Notification, RunnerMode.Exploration, RunnerMode.Exploration];
        long sequence = 0;
        var claimers = modes.Select((mode, n) => Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                var claimed = await queue.TryClaimAsync($"runner-{n}", mode, Ct);
                if (claimed is null)
                {
                    try
                    {
                        await queue.WaitForWorkAsync(mode, TimeSpan.FromMilliseconds(100), done.Token);
                    }
                    catch (OperationCanceledException)
                    {
                    }

                    continue;
                }

                var claimedAt = clock.ElapsedTicks;
                var seq = Interlocked.Increment(ref sequence);
                claimedTags.AddOrUpdate(claimed.Item.TraceParent!, 1, (_, c) => c + 1);
                Assert.True(mode != RunnerMode.Exploration || claimed.Item.Priority == WorkPriority.Low);
                Assert.True(mode != RunnerMode.Notification || claimed.Item.Priority != WorkPriority.Low);
                await Task.Yield();
                var completedAt = clock.ElapsedTicks;
                runs.Add(new Run(claimed.Item.TraceParent!, claimed.Item.AgentId, claimed.Item.Priority, seq, claimedAt, completedAt));
                await queue.CompleteAsync(claimed, WorkOutcome.Succeeded, null, Ct);
                completions[int.Parse(claimed.Item.AgentId["agent-".Length..], System.Globalization.CultureInfo.InvariantCulture)].Release();
            }
        })).ToArray();

        await Task.WhenAll(producers).WaitAsync(TimeSpan.FromMinutes(3), Ct);
        await done.CancelAsync();
        await Task.WhenAll(claimers);

        Assert.All(outcomes, o => Assert.Equal(EnqueueOutcome.Enqueued, o));
        Assert.Equal(agents * perAgent, runs.Count);
        Assert.Equal(agents * perAgent, claimedTags.Count);
        Assert.All(claimedTags.Values, count => Assert.Equal(1, count));
        foreach (var agentRuns in runs.GroupBy(r => r.Agent))
        {
            var ordered = agentRuns.OrderBy(r => r.ClaimedTicks).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                Assert.True(ordered[i].ClaimedTicks > ordered[i - 1].CompletedTicks, $"{agentRuns.Key} ran twice at once");
            }
        }

        var stats = await queue.GetStatsAsync(Ct);
        Assert.Equal(0, stats.Active);
        Assert.Equal(0, stats.FollowUps);
        Assert.All(stats.Depths.Values, d => Assert.Equal(0, d));
    }

    [Fact]
    public async Task HybridClaimers_DrainHighBeforeNormal_AndGiveLowItsShare()
    {
        redis.EnsureAvailable();
        await using var connection = await RedisConnection.ConnectAsync(redis.Url);
        const int every = 5;
        var queue = new RedisWorkQueue(connection, new WorkQueueOptions { KeyPrefix = "prio:" + Guid.NewGuid().ToString("N")[..8] + ":", HybridLowShareEvery = every });
        var epoch = (await queue.TryAcquireOrRenewAsync("coordinator", TimeSpan.FromMinutes(10), Ct))!.Epoch;
        const int high = 600, normal = 600, low = 300;
        var items = Enumerable.Range(0, high).Select(i => (Agent: $"h{i}", Priority: WorkPriority.High))
            .Concat(Enumerable.Range(0, normal).Select(i => (Agent: $"n{i}", Priority: WorkPriority.Normal)))
            .Concat(Enumerable.Range(0, low).Select(i => (Agent: $"l{i}", Priority: WorkPriority.Low)));
        foreach (var (agent, priority) in items)
        {
            Assert.Equal(EnqueueOutcome.Enqueued, await queue.EnqueueAsync(new WorkItem { AgentId = agent, TaskType = TaskType.Inbox, Priority = priority }, epoch, Ct));
        }

        var claims = new ConcurrentBag<(long Sequence, WorkPriority Priority)>();
        long sequence = 0;
        await Task.WhenAll(Enumerable.Range(0, Claimers).Select(n => Task.Run(async () =>
        {
            while (await queue.TryClaimAsync($"runner-{n}", RunnerMode.Hybrid, Ct) is { } claimed)
            {
                claims.Add((Interlocked.Increment(ref sequence), claimed.Item.Priority));
                await queue.CompleteAsync(claimed, WorkOutcome.Succeeded, null, Ct);
            }
        })));

        var ordered = claims.OrderBy(c => c.Sequence).Select(c => c.Priority).ToList();
        Assert.Equal(high + normal + low, ordered.Count);

        // Sequence numbers are taken after each claim returns, so concurrent claims may swap by up to the claimer count.
        var lastHigh = ordered.FindLastIndex(p => p == WorkPriority.High);
        var firstNormal = ordered.FindIndex(p => p == WorkPriority.Normal);
        Assert.True(firstNormal >= lastHigh - Claimers, $"normal claimed at {firstNormal} before the last high at {lastHigh}");

        // Low's share: every 5th claim while low has items (here low lasts the whole run): within ±(claimers + 1) of n/5 at every prefix.
        var lows = 0;
        for (var n = 1; n <= ordered.Count; n++)
        {
            lows += ordered[n - 1] == WorkPriority.Low ? 1 : 0;
            Assert.InRange(lows, (n / every) - Claimers - 1, (n / every) + Claimers + 1);
        }
    }
}
