using Botburrow.Agents.Work;

namespace Botburrow.Agents.Coordinator.Tests;

/// <summary>
/// The embedded queue's leader election, which a test can make refuse (another instance leads), hang (the store
/// stopped answering) or report expiries <see cref="ClockAhead"/> later (a store whose clock runs ahead of this process's).
/// </summary>
internal sealed class SwitchableElection(ILeaderElection inner) : ILeaderElection
{
    public volatile bool Refuse;

    public volatile bool Hang;

    public int Attempts;

    public TimeSpan ClockAhead;

    public async Task<LeaderLease?> TryAcquireOrRenewAsync(string instanceId, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref Attempts);
        if (Hang)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        if (Refuse || await inner.TryAcquireOrRenewAsync(instanceId, ttl, cancellationToken) is not { } lease)
        {
            return null;
        }

        return lease with { ExpiresAt = lease.ExpiresAt + ClockAhead };
    }

    public Task<bool> ReleaseAsync(LeaderLease lease, CancellationToken cancellationToken = default) => inner.ReleaseAsync(lease, cancellationToken);

    public Task<LeaderInfo> GetLeaderAsync(CancellationToken cancellationToken = default) => inner.GetLeaderAsync(cancellationToken);
}
