using Botburrow.Agents.Work;

namespace Botburrow.Agents.Work.Tests;

/// <summary>The contract on the in-process backend.</summary>
public sealed class EmbeddedWorkQueueContractTests : WorkQueueContractTests
{
    protected override Task<(IWorkQueue Queue, ILeaderElection Election)> CreateAsync(WorkQueueOptions options)
    {
        var queue = new EmbeddedWorkQueue(options, Time);
        return Task.FromResult<(IWorkQueue, ILeaderElection)>((queue, queue));
    }
}
