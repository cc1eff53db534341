using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Agents.Coordinator.Tests;

/// <summary>What each poll costs the Hub: nothing for an agent whose work is queued or running, one budget check per agent per TTL.</summary>
public sealed class HubWatchCostTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AgentWithWorkQueuedOrRunning_CostsNoHubCall_AndIsLookedAtAgainOnceItsRunHasEnded()
    {
        await using var coordinator = new CoordinatorHarness(agents: "alpha");
        var hub = coordinator.Hub;
        await coordinator.StartLeadingAsync();
        hub.Mention("alpha", coordinator.Time.GetUtcNow());
        await coordinator.AdvanceUntilAsync(() => coordinator.Logs.Named("work_enqueued").Any(), "the mention to be enqueued", step: TimeSpan.FromSeconds(1));
        Assert.Equal(1, hub.BudgetCalls["alpha"]);
        Assert.Equal(1, hub.ListingCalls["alpha"]);

        // The Hub keeps reporting alpha (its mention is unread) while its work waits in the queue…
        var polls = hub.PollCalls;
        await coordinator.AdvanceUntilAsync(() => hub.PollCalls >= polls + 3, "three more polls while alpha's work is queued", step: TimeSpan.FromSeconds(1));

        // …and while it runs.
        var claimed = await coordinator.Queue.TryClaimAsync("runner-1", RunnerMode.Hybrid, Ct);
        Assert.Equal("alpha", claimed?.Item.AgentId);
        polls = hub.PollCalls;
        await coordinator.AdvanceUntilAsync(() => hub.PollCalls >= polls + 3, "three more polls while alpha's work runs", step: TimeSpan.FromSeconds(1));
        Assert.Equal(1, hub.BudgetCalls["alpha"]);
        Assert.Equal(1, hub.ListingCalls["alpha"]);
        Assert.Single(coordinator.Logs.Named("work_enqueued"));

        // The run ends with the mention still unread: the next poll looks at alpha again and schedules it.
        await coordinator.Queue.CompleteAsync(claimed!, WorkOutcome.Succeeded, cancellationToken: Ct);
        await coordinator.AdvanceUntilAsync(() => coordinator.Logs.Named("work_enqueued").Count() == 2, "alpha to be enqueued again", step: TimeSpan.FromSeconds(1));
        Assert.Equal(2, hub.ListingCalls["alpha"]);
    }

    [Fact]
    public async Task BudgetHealth_IsAskedOncePerTtl_AndAnOverBudgetAgentsNotificationsAreNotListed()
    {
        await using var coordinator = new CoordinatorHarness(agents: "alpha");
        var hub = coordinator.Hub;
        // The clock moves on the test's thread while the loop runs: a call is recorded up to one step after the loop read the time.
        var ttl = coordinator.Options.BudgetHealthTtl - TimeSpan.FromMilliseconds(500);
        hub.Healthy = _ => false;
        await coordinator.StartLeadingAsync();
        hub.Mention("alpha", coordinator.Time.GetUtcNow());

        // Every poll reports alpha again (its mention stays unread) and finds it over budget…
        await coordinator.AdvanceUntilAsync(() => coordinator.Logs.Named("agent_over_budget").Count() >= 6, "six polls finding alpha over budget", step: TimeSpan.FromMilliseconds(500));
        var asked = hub.BudgetCallTimes.Where(c => c.Agent == "alpha").Select(c => c.At).ToList();

        // …mostly from the cached answer: the Hub is asked again only once the previous answer is older than the TTL.
        Assert.True(asked.Count < coordinator.Logs.Named("agent_over_budget").Count(), $"{asked.Count} budget calls for {coordinator.Logs.Named("agent_over_budget").Count()} polls");
        Assert.All(asked.Zip(asked.Skip(1)), pair => Assert.True(pair.Second - pair.First >= ttl, $"asked again after {pair.Second - pair.First}"));
        Assert.False(hub.ListingCalls.ContainsKey("alpha"));

        // The next answer after the TTL counts: alpha is within budget again and its mention is scheduled.
        hub.Healthy = _ => true;
        await coordinator.AdvanceUntilAsync(() => coordinator.Logs.Named("work_enqueued").Any(), "alpha to be enqueued once its budget is asked again", step: TimeSpan.FromMilliseconds(500));
        var all = hub.BudgetCallTimes.Where(c => c.Agent == "alpha").Select(c => c.At).ToList();
        Assert.True(all[^1] - all[^2] >= ttl);
        Assert.Equal(1, hub.ListingCalls["alpha"]);
    }
}
