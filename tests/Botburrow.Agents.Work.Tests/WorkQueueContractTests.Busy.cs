using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Agents.Work.Tests;

/// <summary>The contract of <see cref="IWorkQueue.BusyAgentsAsync"/> (the coordinator's one question per poll).</summary>
public abstract partial class WorkQueueContractTests
{
    [Fact]
    public async Task BusyAgents_AreThoseWithWorkQueuedOrRunning_NotThoseDoneOrUnknown()
    {
        var (queue, _, epoch) = await LeadAsync();
        Assert.Empty(await queue.BusyAgentsAsync([], Ct));

        Assert.Equal(EnqueueOutcome.Enqueued, await queue.EnqueueAsync(Item("done"), epoch, Ct));
        var done = await queue.TryClaimAsync("r1", RunnerMode.Hybrid, Ct);
        Assert.Equal("done", done!.Item.AgentId);
        await queue.CompleteAsync(done, WorkOutcome.Succeeded, cancellationToken: Ct);

        Assert.Equal(EnqueueOutcome.Enqueued, await queue.EnqueueAsync(Item("running"), epoch, Ct));
        var running = await queue.TryClaimAsync("r1", RunnerMode.Hybrid, Ct);
        Assert.Equal("running", running!.Item.AgentId);
        Assert.Equal(EnqueueOutcome.Enqueued, await queue.EnqueueAsync(Item("queued", WorkPriority.Normal), epoch, Ct));

        var busy = await queue.BusyAgentsAsync(["done", "running", "queued", "unknown"], Ct);
        Assert.Equal(new[] { "queued", "running" }, busy.Order(StringComparer.Ordinal));

        await queue.CompleteAsync(running, WorkOutcome.Succeeded, cancellationToken: Ct);
        Assert.Equal(new[] { "queued" }, await queue.BusyAgentsAsync(["running", "queued"], Ct));
    }
}
