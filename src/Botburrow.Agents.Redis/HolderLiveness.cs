using Botburrow.Agents.Work;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Botburrow.Agents.Redis;

/// <summary>
/// Fast failure detection (<c>FAST_FAILURE_DETECTION</c>): a lease holder writes the name of its Redis connection
/// (<c>botburrow:&lt;role&gt;:&lt;id&gt;</c>) next to its lease (<c>runner:heartbeat:{id}</c> field <c>client_name</c>,
/// <c>coordinator:leader:info</c> field <c>client_name</c>); a holder whose named connection has been missing from
/// <c>CLIENT LIST</c> for <see cref="WorkQueueOptions.DisconnectGrace"/> is dead. A holder that wrote no name, a
/// server that refuses <c>CLIENT LIST</c> (ACLs, proxies), or detection switched off: the lease alone decides.
/// Reclaiming early is safe even when the holder is only cut off, because its writes are fenced.
/// </summary>
internal sealed class HolderLiveness
{
    private readonly RedisConnection _connection;
    private readonly RedisKeys _keys;
    private readonly WorkQueueOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, long> _missingSince = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private int _unavailable;

    public HolderLiveness(RedisConnection connection, RedisKeys keys, WorkQueueOptions options, TimeProvider time, ILogger logger)
    {
        _connection = connection;
        _keys = keys;
        _options = options;
        _time = time;
        _logger = logger;
    }

    private bool Enabled => _options.FastFailureDetection && Volatile.Read(ref _unavailable) == 0;

    /// <summary>Runners holding leases whose named connection is gone (empty when detection is off or blind).</summary>
    public async Task<IReadOnlyList<string>> DeadRunnersAsync(CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return [];
        }

        var holders = await _connection.ExecuteAsync(
            "holders",
            async db =>
            {
                var ids = await db.SortedSetRangeByRankAsync(_keys.Leases);
                var runners = new HashSet<string>(StringComparer.Ordinal);
                foreach (var id in ids)
                {
                    if (await db.HashGetAsync(_keys.Activation((string)id!), "runner") is { IsNull: false } runner)
                    {
                        runners.Add((string)runner!);
                    }
                }

                var named = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var runner in runners)
                {
                    if (await db.HashGetAsync(_keys.RunnerHeartbeat(runner), "client_name") is { IsNull: false } name && !string.IsNullOrEmpty(name))
                    {
                        named[runner] = (string)name!;
                    }
                }

                return named;
            },
            cancellationToken);
        if (holders.Count == 0)
        {
            return [];
        }

        var connected = await ConnectedNamesAsync(cancellationToken);
        if (connected is null)
        {
            return [];
        }

        return holders.Where(h => IsGone(h.Value, connected)).Select(h => h.Key).ToList();
    }

    /// <summary>The current leader when its named connection is gone (and it is not <paramref name="self"/>), else null.</summary>
    public async Task<string?> DeadLeaderAsync(string self, CancellationToken cancellationToken)
    {
        if (!Enabled)
        {
            return null;
        }

        var (leader, name) = await _connection.ExecuteAsync(
            "leader liveness",
            async db =>
            {
                var l = db.StringGetAsync(_keys.Leader);
                var i = db.HashGetAsync(_keys.LeaderInfo, ["instance", "client_name"]);
                return ((string?)await l, await i);
            },
            cancellationToken);
        if (leader is null || leader == self || (string?)name[0] != leader || name[1].IsNullOrEmpty)
        {
            return null;
        }

        var connected = await ConnectedNamesAsync(cancellationToken);
        return connected is not null && IsGone((string)name[1]!, connected) ? leader : null;
    }

    private bool IsGone(string name, HashSet<string> connected)
    {
        lock (_lock)
        {
            if (connected.Contains(name))
            {
                _missingSince.Remove(name);
                return false;
            }

            var now = _time.GetTimestamp();
            if (!_missingSince.TryGetValue(name, out var since))
            {
                _missingSince[name] = now;
                return _options.DisconnectGrace <= TimeSpan.Zero;
            }

            return _time.GetElapsedTime(since, now) >= _options.DisconnectGrace;
        }
    }

    /// <summary>The names in <c>CLIENT LIST</c>, or null when the server does not show them (logged once).</summary>
    private async Task<HashSet<string>?> ConnectedNamesAsync(CancellationToken cancellationToken)
    {
        try
        {
            var list = await _connection.ExecuteAsync("client list", db => db.ExecuteAsync("CLIENT", "LIST"), cancellationToken);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var line in ((string?)list ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                foreach (var field in line.Split(' '))
                {
                    if (field.StartsWith("name=", StringComparison.Ordinal) && field.Length > 5)
                    {
                        names.Add(field[5..]);
                    }
                }
            }

            // Our own connection must be listed: if it is not, the listing cannot be trusted (a proxy in between).
            if (!names.Contains(_connection.ClientName))
            {
                throw new RedisException($"CLIENT LIST does not show this process's own connection '{_connection.ClientName}' (a proxy?)");
            }

            return names;
        }
        catch (Exception ex) when (ex is RedisServerException or RedisCommandException or (RedisException and not RedisConnectionException))
        {
            if (Interlocked.Exchange(ref _unavailable, 1) == 0)
            {
                WorkLog.ClientListUnavailable(_logger, ex);
            }

            return null;
        }
    }
}
