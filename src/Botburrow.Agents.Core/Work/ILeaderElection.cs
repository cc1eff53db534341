namespace Botburrow.Agents.Work;

/// <summary>
/// Leader election with a fencing epoch. Acquisition is <c>SET coordinator:leader ID NX PX</c> plus
/// <c>INCR coordinator:epoch</c>; renewal is compare-and-extend; release is compare-and-delete.
/// </summary>
public interface ILeaderElection
{
    /// <summary>Acquires or renews leadership; <see langword="null"/> when another instance leads.</summary>
    Task<LeaderLease?> TryAcquireOrRenewAsync(string instanceId, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Gives leadership up if this instance still holds it (so a follower takes over at once).</summary>
    Task<bool> ReleaseAsync(LeaderLease lease, CancellationToken cancellationToken = default);

    Task<LeaderInfo> GetLeaderAsync(CancellationToken cancellationToken = default);
}
