using Botburrow.Agents.Work;

namespace Botburrow.Agents.Coordinator.Tests;

/// <summary>The embedded queue's leader election, which a test can make refuse (another instance leads) or hang (the store stopped answering).</summary>
internal sealed class SwitchableElection(ILeaderElection inner) : ILeaderElection
{
    public volatile bool Refuse;

    public volatile bool Hang;

    public int Attempts;

    public async Task<LeaderLease?> TryAcquireOrRenewAsync(string instanceId, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Attempts);
        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return Refuse ? null : await inner.TryAcquireOrRenewAsync(instanceId, ttl, cancellationToken);
    }

    public Task<bool> ReleaseAsync(LeaderLease lease, CancellationToken cancellationToken = default) => inner.ReleaseAsync(lease, cancellationToken);

    public Task<LeaderInfo> GetLeaderAsync(CancellationToken cancellationToken = default) => inner.GetLeaderAsync(cancellationToken);
}
