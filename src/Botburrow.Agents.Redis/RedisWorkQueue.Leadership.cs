using System.Globalization;
using Botburrow.Agents.Work;
using StackExchange.Redis;

namespace Botburrow.Agents.Redis;

// The leader lease of the coordinators (fenced by coordinator:epoch).
public sealed partial class RedisWorkQueue
{
    public async Task<LeaderLease?> TryAcquireOrRenewAsync(string instanceId, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        var deadLeader = await _liveness.DeadLeaderAsync(instanceId, cancellationToken) ?? "";
        var clientName = _options.FastFailureDetection ? _connection.ClientName : "";
        var result = await RunAsync("leader acquire", WorkScripts.AcquireLeader, [instanceId, Ms(ttl), clientName, deadLeader], cancellationToken);
        if (result.IsNull)
        {
            return null;
        }

        var parts = (RedisResult[])result!;
        return new LeaderLease
        {
            InstanceId = instanceId,
            Epoch = long.Parse((string)parts[1]!, CultureInfo.InvariantCulture),
            ExpiresAt = FromMs((string)parts[2]!) + ttl,
            Acquired = (string)parts[0]! == "acquired",
        };
    }

    public async Task<bool> ReleaseAsync(LeaderLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return (long)await RunAsync("leader release", WorkScripts.ReleaseLeader, [lease.InstanceId, lease.Epoch.ToString(CultureInfo.InvariantCulture)], cancellationToken) == 1;
    }

    public async Task<LeaderInfo> GetLeaderAsync(CancellationToken cancellationToken = default)
    {
        var (leader, ttl, epoch, info) = await _connection.ExecuteAsync(
            "leader get",
            async db =>
            {
                var l = db.StringGetAsync(_keys.Leader);
                var t = db.KeyTimeToLiveAsync(_keys.Leader);
                var e = db.StringGetAsync(_keys.Epoch);
                var i = db.HashGetAsync(_keys.LeaderInfo, ["instance", "since", "expires_at"]);
                return (await l, await t, await e, await i);
            },
            cancellationToken);
        var epochValue = epoch.IsNull ? 0 : (long)epoch;
        var expired = !_serverTime && info[0] == leader && FromMs(info[2]) <= _time.GetUtcNow();
        if (leader.IsNull || expired)
        {
            return new LeaderInfo { Epoch = epochValue };
        }

        return new LeaderInfo
        {
            InstanceId = leader,
            ExpiresIn = ttl,
            Since = info[0] == leader && !info[1].IsNull ? FromMs(info[1]) : null,
            Epoch = epochValue,
        };
    }
}
