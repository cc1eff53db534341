using Botburrow.Agents.Hub;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Agents.Coordinator.Tests;

/// <summary><c>behavior.discovery.frequency</c> decides when DISCOVERY work is made (on a <see cref="Microsoft.Extensions.Time.Testing.FakeTimeProvider"/>).</summary>
public sealed class DiscoveryFrequencyTests
{
    [Fact]
    public async Task Hourly_MakesDiscoveryWorkAtMostOnceAnHour_WhateverTheHubSaysOfStaleness()
    {
        await using var coordinator = new CoordinatorHarness(minStaleness: TimeSpan.FromSeconds(60));
        coordinator.WriteAgent("owl", discovery: true, discoveryFrequency: "hourly");
        coordinator.Hub.ListStale = _ => Task.FromResult<IReadOnlyList<HubAgent>>([InMemoryHub.Agent("owl")]);

        await coordinator.StartLeadingAsync();
        await coordinator.AdvanceUntilAsync(() => Enqueued(coordinator, "owl") == 1, "the first discovery work", step: TimeSpan.FromSeconds(5));
        // Measured from when the work was made (the item's CreatedAt), not from when the test saw it.
        var first = await CompleteAsync(coordinator, "owl");

        // Staleness would make work every scan (15 s here); hourly waits the hour out.
        while (coordinator.Time.GetUtcNow() - first < TimeSpan.FromMinutes(59))
        {
            coordinator.Time.Advance(TimeSpan.FromMinutes(1));
            await CoordinatorHarness.Settle();
        }

        Assert.Equal(1, Enqueued(coordinator, "owl"));
        await coordinator.AdvanceUntilAsync(() => Enqueued(coordinator, "owl") == 2, "the next hour's discovery work", step: TimeSpan.FromSeconds(15));
        var second = await CompleteAsync(coordinator, "owl");
        Assert.InRange(second - first, TimeSpan.FromHours(1), TimeSpan.FromHours(1) + TimeSpan.FromMinutes(2));
    }

    [Fact]
    public async Task Staleness_StillFollowsTheHubsStaleList()
    {
        await using var coordinator = new CoordinatorHarness(minStaleness: TimeSpan.FromSeconds(60));
        coordinator.WriteAgent("scout", discovery: true);
        coordinator.Hub.ListStale = _ => Task.FromResult<IReadOnlyList<HubAgent>>([InMemoryHub.Agent("scout")]);

        await coordinator.StartLeadingAsync();
        await coordinator.AdvanceUntilAsync(() => Enqueued(coordinator, "scout") == 1, "staleness discovery work", step: TimeSpan.FromSeconds(5));
        await CompleteAsync(coordinator, "scout");
        await coordinator.AdvanceUntilAsync(() => Enqueued(coordinator, "scout") == 2, "the next staleness discovery work", step: TimeSpan.FromSeconds(5), limit: TimeSpan.FromMinutes(2));
    }

    private static int Enqueued(CoordinatorHarness coordinator, string agent)
        => coordinator.Logs.Named("work_enqueued").Count(e => e.Message.Contains(agent, StringComparison.Ordinal) && e.Message.Contains("discovery", StringComparison.Ordinal));

    /// <summary>Claims and completes the agent's work; returns when the work was made.</summary>
    private static async Task<DateTimeOffset> CompleteAsync(CoordinatorHarness coordinator, string agent)
    {
        var work = await coordinator.Queue.TryClaimAsync("runner-1", RunnerMode.Exploration, TestContext.Current.CancellationToken);
        Assert.NotNull(work);
        Assert.Equal(agent, work.Item.AgentId);
        await coordinator.Queue.CompleteAsync(work, WorkOutcome.Succeeded, cancellationToken: TestContext.Current.CancellationToken);
        return work.Item.CreatedAt;
    }
}
