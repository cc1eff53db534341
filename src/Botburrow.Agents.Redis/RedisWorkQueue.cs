using System.Globalization;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Botburrow.Agents.Redis;

/// <summary>
/// The Redis backend of <see cref="IWorkQueue"/> and <see cref="ILeaderElection"/>: each operation is one Lua
/// script on the shared multiplexer; claims never block (idle claimers wait for a <c>work:wakeup</c> pub/sub
/// nudge, with the caller's poll as backstop). Lease and backoff times come from the server's <c>TIME</c>, unless a
/// non-system <see cref="TimeProvider"/> is given (tests), whose time is then passed to the scripts.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "A work queue is the domain name.")]
public sealed partial class RedisWorkQueue : IWorkQueue, ILeaderElection
{
    private const int ReapBatch = 500;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> ScriptHashes = new(StringComparer.Ordinal);
    private readonly RedisConnection _connection;
    private readonly WorkQueueOptions _options;
    private readonly RedisKeys _keys;
    private readonly TimeProvider _time;
    private readonly bool _serverTime;
    private readonly ILogger _logger;
    private readonly WorkSignal _signal = new();
    private readonly WorkSignal _completed = new();
    private readonly HolderLiveness _liveness;
    private int _subscribed;

    public RedisWorkQueue(RedisConnection connection, WorkQueueOptions? options = null, TimeProvider? timeProvider = null, ILogger<RedisWorkQueue>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _options = options ?? new WorkQueueOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.HybridLowShareEvery, 1);
        _keys = new RedisKeys(_options.KeyPrefix);
        _time = timeProvider ?? TimeProvider.System;
        _serverTime = ReferenceEquals(_time, TimeProvider.System);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _liveness = new HolderLiveness(connection, _keys, _options, _time, _logger);
    }

    public RedisKeys Keys => _keys;

    public async Task<EnqueueOutcome> EnqueueAsync(WorkItem item, long epoch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        var json = WorkItemJson.Serialize(item with { Epoch = epoch });
        var result = (string?)await RunAsync("enqueue", WorkScripts.Enqueue, [json, item.AgentId, RedisKeys.PriorityName(item.Priority), epoch], cancellationToken);
        var outcome = result switch
        {
            "enqueued" => EnqueueOutcome.Enqueued,
            "followup" => EnqueueOutcome.CoalescedIntoFollowUp,
            "answered" => EnqueueOutcome.AnsweredByRunningActivation,
            "queued" => EnqueueOutcome.AlreadyQueued,
            "backoff" => EnqueueOutcome.InBackoff,
            "stale" => EnqueueOutcome.StaleEpoch,
            _ => throw new InvalidOperationException($"unexpected enqueue result '{result}'"),
        };
        if (outcome == EnqueueOutcome.StaleEpoch)
        {
            WorkLog.StaleEpoch(_logger, item.AgentId, epoch);
        }

        return outcome;
    }

    public async Task<ClaimedWork?> TryClaimAsync(string runnerId, RunnerMode mode, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(runnerId);
        var id = Guid.NewGuid().ToString("N");
        var result = await RunAsync(
            "claim",
            WorkScripts.Claim,
            [runnerId, ModeName(mode), id, Ms(_options.LeaseDuration), Ms(_options.ActivationRecordGrace), _options.HybridLowShareEvery],
            cancellationToken);
        if (result.IsNull)
        {
            return null;
        }

        var parts = (RedisResult[])result!;
        var item = WorkItemJson.Deserialize((string)parts[1]!);
        var claimed = new ClaimedWork
        {
            ActivationId = (string)parts[0]!,
            Item = item,
            RunnerId = runnerId,
            ClaimedAt = FromMs((string)parts[2]!),
            LeaseExpiresAt = FromMs((string)parts[3]!),
            Epoch = item.Epoch,
            FencingToken = parts.Length > 4 ? long.Parse((string)parts[4]!, CultureInfo.InvariantCulture) : 0,
        };
        WorkLog.WorkClaimed(_logger, claimed.ActivationId, item.AgentId, runnerId, item.Priority, item.Attempt);
        return claimed;
    }

    public async Task WaitForWorkAsync(RunnerMode mode, TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        await EnsureSubscribedAsync();
        await _signal.WaitAsync(maxWait, _time, cancellationToken);
    }

    public async Task WaitForCompletionAsync(TimeSpan maxWait, CancellationToken cancellationToken = default)
    {
        await EnsureSubscribedAsync();
        await _completed.WaitAsync(maxWait, _time, cancellationToken);
    }

    public async Task<IReadOnlySet<string>> HeartbeatAsync(RunnerHeartbeat heartbeat, IReadOnlyCollection<string> activationIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(heartbeat);
        ArgumentNullException.ThrowIfNull(activationIds);
        var args = new List<RedisValue>
        {
            heartbeat.RunnerId,
            Ms(_options.LeaseDuration),
            Ms(_options.ActivationRecordGrace),
            Ms(_options.HeartbeatTtl),
            ModeName(heartbeat.Mode),
            heartbeat.Concurrency,
            heartbeat.InFlight,
            heartbeat.StartedAt.ToUnixTimeMilliseconds(),
            _options.FastFailureDetection ? _connection.ClientName : "",
            heartbeat.LeasesLost,
        };
        args.AddRange(activationIds.Select(id => (RedisValue)id));
        var result = await RunAsync("heartbeat", WorkScripts.Heartbeat, [.. args], cancellationToken);
        var cancelled = new HashSet<string>(StringComparer.Ordinal);
        if (!result.IsNull)
        {
            foreach (var entry in (RedisResult[])result!)
            {
                cancelled.Add((string)entry!);
            }
        }

        return cancelled;
    }

    public async Task<LeaseState> CheckLeaseAsync(ClaimedWork work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        var result = (string?)await RunAsync("lease check", WorkScripts.CheckLease, [work.ActivationId, work.RunnerId, work.FencingToken.ToString(CultureInfo.InvariantCulture)], cancellationToken);
        return result switch
        {
            "held" => LeaseState.Held,
            "expired" => LeaseState.Expired,
            "taken" => LeaseState.TakenOver,
            "stopped" => LeaseState.StoppedByOperator,
            _ => LeaseState.Gone,
        };
    }

    public async Task CompleteAsync(ClaimedWork work, WorkOutcome outcome, string? error = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        // At-least-once: the item leaves the system only here (or via the reaper / dead letters), after the run ended.
        var result = (RedisResult[])(await RunAsync(
            "complete",
            WorkScripts.Complete,
            [work.ActivationId, work.Item.AgentId, work.RunnerId, OutcomeName(outcome), _options.BreakerMaxFailures, Ms(_options.BreakerBaseBackoff), Ms(_options.BreakerMaxBackoff), work.FencingToken.ToString(CultureInfo.InvariantCulture)],
            cancellationToken))!;
        if ((long)result[0] == 0 && outcome != WorkOutcome.StoppedByOperator)
        {
            WorkLog.StaleCompletion(_logger, work.ActivationId, work.Item.AgentId, work.RunnerId, work.FencingToken);
        }

        var failures = (long)result[1];
        if (failures > 0)
        {
            WorkLog.CircuitBreaker(_logger, work.Item.AgentId, failures, (long)result[2] / 1000.0);
        }

        if (result.Length > 4 && (long)result[4] > 0)
        {
            WorkLog.StoppedBackoff(_logger, work.Item.AgentId, work.ActivationId, (long)result[4] / 1000.0);
        }

        // Informational only (the dashboard's "recent activations"): not part of the atomic completion.
        var recent = WorkItemJson.SerializeRecent(RecentActivation.From(work, outcome, error, _time.GetUtcNow()));
        await _connection.ExecuteAsync(
            "recent add",
            async db =>
            {
                var tx = db.CreateTransaction();
                _ = tx.ListLeftPushAsync(_keys.Recent, recent);
                _ = tx.ListTrimAsync(_keys.Recent, 0, RecentActivation.Capacity - 1);
                return await tx.ExecuteAsync();
            },
            cancellationToken);
    }

    public async Task HandBackAsync(ClaimedWork work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        await RunAsync("hand back", WorkScripts.HandBack, [work.ActivationId, work.Item.AgentId, work.RunnerId, work.FencingToken.ToString(CultureInfo.InvariantCulture)], cancellationToken);
    }

    public async Task<int> ReclaimDisconnectedAsync(CancellationToken cancellationToken = default)
    {
        var dead = await _liveness.DeadRunnersAsync(cancellationToken);
        if (dead.Count == 0)
        {
            return 0;
        }

        foreach (var runner in dead)
        {
            WorkLog.HolderDisconnected(_logger, runner);
        }

        return await ReapAsync(dead, cancellationToken);
    }

    public Task<int> ReapAsync(CancellationToken cancellationToken = default) => ReapAsync([], cancellationToken);

    private async Task<int> ReapAsync(IReadOnlyList<string> dead, CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var result = (RedisResult[])(await RunAsync(
                "reap",
                WorkScripts.Reap,
                [_options.MaxAttempts, _options.BreakerMaxFailures, Ms(_options.BreakerBaseBackoff), Ms(_options.BreakerMaxBackoff), ReapBatch, .. dead.Select(r => (RedisValue)r)],
                cancellationToken))!;
            var leaseEntries = 0;
            for (var i = 0; i + 5 < result.Length; i += 6)
            {
                var kind = (string)result[i]!;
                var id = (string)result[i + 1]!;
                var agent = (string)result[i + 2]!;
                var attempt = int.Parse((string)result[i + 3]!, CultureInfo.InvariantCulture);
                total++;
                switch (kind)
                {
                    case "requeued":
                        leaseEntries++;
                        WorkLog.LeaseExpired(_logger, id, agent, attempt);
                        break;
                    case "dead":
                        leaseEntries++;
                        WorkLog.DeadLettered(_logger, id, agent, attempt, "lease expired");
                        var failures = long.Parse((string)result[i + 4]!, CultureInfo.InvariantCulture);
                        if (failures > 0)
                        {
                            WorkLog.CircuitBreaker(_logger, agent, failures, long.Parse((string)result[i + 5]!, CultureInfo.InvariantCulture) / 1000.0);
                        }

                        break;
                }
            }

            if (leaseEntries < ReapBatch)
            {
                return total;
            }
        }
    }

    private static ActivationInfo ToInfo(string id, string?[] h) => new()
    {
        ActivationId = id,
        AgentId = h[0] ?? "",
        RunnerId = h[1] ?? "",
        TaskType = h[2] == "discovery" ? TaskType.Discovery : TaskType.Inbox,
        Priority = h[3] switch { "high" => WorkPriority.High, "low" => WorkPriority.Low, _ => WorkPriority.Normal },
        Attempt = ParseInt(h[4]),
        Epoch = long.TryParse(h[5], NumberStyles.Integer, CultureInfo.InvariantCulture, out var e) ? e : 0,
        ClaimedAt = FromMs(h[6]),
        LeaseExpiresAt = FromMs(h[7]),
    };

    private static int ParseInt(string? text) => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static DateTimeOffset FromMs(string? text)
        => long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : default;

    private static long Ms(TimeSpan span) => (long)span.TotalMilliseconds;

    private static string ModeName(RunnerMode mode) => mode.ToString().ToLowerInvariant();

    private static string OutcomeName(WorkOutcome outcome) => outcome switch
    {
        WorkOutcome.Succeeded => "succeeded",
        WorkOutcome.Failed => "failed",
        WorkOutcome.Cancelled => "cancelled",
        WorkOutcome.StoppedByOperator => "stopped_by_operator",
        _ => "refused_by_budget",
    };

    private Task<RedisResult> RunAsync(string operation, string script, RedisValue[] args, CancellationToken cancellationToken)
    {
        var values = new RedisValue[args.Length + 2];
        values[0] = _keys.Prefix;
        values[1] = _serverTime ? 0 : _time.GetUtcNow().ToUnixTimeMilliseconds();
        args.CopyTo(values, 2);
        return _connection.ExecuteAsync(operation, db => EvaluateAsync(db, script, values), cancellationToken);
    }

    /// <summary>EVALSHA with the script's cached SHA-1; on NOSCRIPT (first use, or a restarted server) EVAL loads it.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Security", "CA5350:Do Not Use Weak Cryptographic Algorithms", Justification = "Redis names scripts by SHA-1; no security depends on it.")]
    private static async Task<RedisResult> EvaluateAsync(IDatabase db, string script, RedisValue[] values)
    {
        var hash = ScriptHashes.GetOrAdd(script, static s => System.Security.Cryptography.SHA1.HashData(System.Text.Encoding.UTF8.GetBytes(s)));
        try
        {
            return await db.ScriptEvaluateAsync(hash, null, values);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("NOSCRIPT", StringComparison.Ordinal))
        {
            return await db.ScriptEvaluateAsync(script, null, values);
        }
    }

    private async Task EnsureSubscribedAsync()
    {
        if (Volatile.Read(ref _subscribed) == 1)
        {
            return;
        }

        try
        {
            var subscriber = _connection.Multiplexer.GetSubscriber();
            await subscriber.SubscribeAsync(RedisChannel.Literal(_keys.WakeupChannel), (_, _) => _signal.Set());
            await subscriber.SubscribeAsync(RedisChannel.Literal(_keys.CompletedChannel), (_, _) => _completed.Set());
            Volatile.Write(ref _subscribed, 1);
        }
        catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException)
        {
            // Not subscribed yet: the caller's wait is then a plain poll, and the next wait tries again.
        }
    }
}
