namespace Botburrow.Agents.Work;

// The leader lease for the one coordinator of an embedded fleet.
public sealed partial class EmbeddedWorkQueue
{
    public Task<LeaderLease?> TryAcquireOrRenewAsync(string instanceId, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            var now = Now;
            if (_leader is not null && _leaderExpires <= now)
            {
                _leader = null;
            }

            if (_leader == instanceId)
            {
                _leaderExpires = now + ttl;
                return Task.FromResult<LeaderLease?>(new LeaderLease { InstanceId = instanceId, Epoch = _epoch, ExpiresAt = _leaderExpires, Acquired = false });
            }

            if (_leader is not null)
            {
                return Task.FromResult<LeaderLease?>(null);
            }

            _leader = instanceId;
            _leaderExpires = now + ttl;
            _leaderSince = now;
            _epoch++;
            return Task.FromResult<LeaderLease?>(new LeaderLease { InstanceId = instanceId, Epoch = _epoch, ExpiresAt = _leaderExpires, Acquired = true });
        }
    }

    public Task<bool> ReleaseAsync(LeaderLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (_leader == lease.InstanceId && _leaderExpires > Now)
            {
                _leader = null;
                return Task.FromResult(true);
            }

            return Task.FromResult(false);
        }
    }

    public Task<LeaderInfo> GetLeaderAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            var now = Now;
            return Task.FromResult(_leader is not null && _leaderExpires > now
                ? new LeaderInfo { InstanceId = _leader, Since = _leaderSince, ExpiresIn = _leaderExpires - now, Epoch = _epoch }
                : new LeaderInfo { Epoch = _epoch });
        }
    }
}
