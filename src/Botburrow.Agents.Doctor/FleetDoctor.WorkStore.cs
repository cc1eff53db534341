using System.Globalization;
using Botburrow.Agents.Work;

namespace Botburrow.Agents.Doctor;

public sealed partial class FleetDoctor
{
    private async Task<List<DoctorFinding>> CheckWorkStoreAsync(DoctorTargets targets, CancellationToken cancellationToken)
    {
        var findings = new List<DoctorFinding>();
        if (targets.Queue is not { } queue)
        {
            var seen = targets.WorkStoreError ?? "REDIS_URL is not set";
            findings.Add(DoctorFinding.Fail(
                "redis",
                seen + "; leader, queue, runner, backoff and activation checks were skipped",
                $"Verify Redis/Valkey is running: kubectl get pods -n {Namespace} -l app=valkey; "
                + $"test it: redis-cli -h valkey.botburrow-agents.svc.cluster.local ping; check REDIS_URL (should be redis://valkey.botburrow-agents.svc.cluster.local:6379)"));
            return findings;
        }

        if (targets.PingWorkStore is { } ping)
        {
            try
            {
                var latency = await ping(cancellationToken);
                var ms = latency.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);
                findings.Add(latency > SlowRedis
                    ? DoctorFinding.Warn("redis", $"reachable, but a round trip took {ms} ms", $"Check Redis latency: kubectl exec -n {Namespace} valkey-0 -- redis-cli --latency")
                    : DoctorFinding.Ok("redis", $"reachable, round trip {ms} ms"));
            }
            catch (Exception ex) when (ex is WorkQueueUnavailableException or TimeoutException)
            {
                findings.Add(DoctorFinding.Fail("redis", ex.Message, $"Verify Redis/Valkey is running: kubectl get pods -n {Namespace} -l app=valkey; check REDIS_URL"));
                return findings;
            }
        }
        else
        {
            findings.Add(DoctorFinding.Ok("redis", "embedded work store"));
        }

        try
        {
            var now = _time.GetUtcNow();
            if (targets.Election is { } election)
            {
                findings.Add(await CheckLeaderAsync(election, cancellationToken));
            }

            var stats = await queue.GetStatsAsync(cancellationToken);
            findings.AddRange(CheckQueues(stats));
            findings.AddRange(CheckRunners(stats));
            findings.AddRange(CheckBackoff(await queue.ListBackoffAsync(cancellationToken), now));
            var activations = await queue.ListActivationsAsync(cancellationToken);
            findings.AddRange(CheckActiveEntries(await queue.ListActiveEntriesAsync(cancellationToken), activations, now));
            findings.Add(CheckDead(await queue.ListDeadAsync(cancellationToken)));
            findings.AddRange(CheckOverdue(activations, now));
            findings.AddRange(CheckLooping(await queue.ListRecentAsync(cancellationToken), now));
        }
        catch (Exception ex) when (ex is WorkQueueUnavailableException or TimeoutException)
        {
            findings.Add(DoctorFinding.Fail("redis", ex.Message, $"Verify Redis/Valkey is running: kubectl get pods -n {Namespace} -l app=valkey"));
        }

        return findings;
    }

    private static async Task<DoctorFinding> CheckLeaderAsync(ILeaderElection election, CancellationToken cancellationToken)
    {
        var leader = await election.GetLeaderAsync(cancellationToken);
        if (leader.InstanceId is null)
        {
            return DoctorFinding.Fail(
                "leader",
                $"no coordinator holds coordinator:leader (last epoch {leader.Epoch}); nothing polls the Hub or reaps leases",
                $"Check the coordinator is running: kubectl get pods -n {Namespace} -l app.kubernetes.io/name=coordinator; "
                + $"its logs should show became_leader: kubectl logs -n {Namespace} -l app.kubernetes.io/name=coordinator | grep -i \"leader\\|became_leader\"; "
                + "if no leader, check Redis connectivity");
        }

        var since = leader.Since is { } s ? " since " + s.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";
        return DoctorFinding.Ok("leader", $"{leader.InstanceId} leads{since}, epoch {leader.Epoch}");
    }

    private IEnumerable<DoctorFinding> CheckQueues(WorkQueueStats stats)
    {
        foreach (var priority in new[] { WorkPriority.High, WorkPriority.Normal, WorkPriority.Low })
        {
            var name = "work:queue:" + PriorityName(priority);
            var depth = stats.Depths.GetValueOrDefault(priority);
            if (depth == 0)
            {
                yield return DoctorFinding.Ok("queue", "empty", name);
                continue;
            }

            var age = stats.OldestAge.TryGetValue(priority, out var a) ? a : TimeSpan.Zero;
            var seen = $"{depth} waiting, oldest {Seconds(age)} old";
            yield return age > StaleQueueAge
                ? DoctorFinding.Warn(
                    "queue",
                    seen,
                    $"Work waits longer than {Seconds(StaleQueueAge)}: scale up runners (kubectl scale deployment/runner-hybrid -n {Namespace} --replicas=10) or enable the HPA (kubectl apply -f k8s/apexalgo-iad/hpa.yaml)",
                    name)
                : DoctorFinding.Ok("queue", seen, name);
        }
    }

    private static List<DoctorFinding> CheckRunners(WorkQueueStats stats)
    {
        var modes = stats.Runners.GroupBy(r => r.Mode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var summary = stats.Runners.Count == 0
            ? "no live runner"
            : string.Join(", ", modes.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Value} {m.Key}"));
        var findings = new List<DoctorFinding>
        {
            stats.Runners.Count == 0
                ? DoctorFinding.Warn("runners", summary, $"Start runners (botburrow runner --mode hybrid); check the runner pods: kubectl get pods -n {Namespace} -l app.kubernetes.io/component=runner")
                : DoctorFinding.Ok("runners", summary),
        };
        foreach (var priority in new[] { WorkPriority.High, WorkPriority.Normal, WorkPriority.Low })
        {
            var depth = stats.Depths.GetValueOrDefault(priority);
            if (depth == 0)
            {
                continue;
            }

            var claimers = priority == WorkPriority.Low ? new[] { "exploration", "hybrid" } : ["notification", "hybrid"];
            if (claimers.Any(modes.ContainsKey))
            {
                continue;
            }

            var mode = claimers[0];
            findings.Add(DoctorFinding.Fail(
                "queue.unclaimed",
                $"work:queue:{PriorityName(priority)} holds {depth} item(s) but no live {mode} or hybrid runner claims it (live: {summary})",
                $"Start a runner whose mode claims it (botburrow runner --mode {mode}; kubectl scale deployment/runner-{mode} -n {Namespace} --replicas=2) "
                + $"or a hybrid one; verify RUNNER_MODE: kubectl exec -n {Namespace} runner-xxx -- printenv RUNNER_MODE",
                "work:queue:" + PriorityName(priority)));
        }

        return findings;
    }

    private static IEnumerable<DoctorFinding> CheckBackoff(IReadOnlyList<BackoffEntry> entries, DateTimeOffset now)
    {
        var backing = entries.Where(e => e.Until is { } until && until > now).ToList();
        if (backing.Count == 0)
        {
            var failing = entries.Where(e => e.Failures > 0).ToList();
            yield return failing.Count == 0
                ? DoctorFinding.Ok("backoff", "no agent in circuit-breaker backoff")
                : DoctorFinding.Ok("backoff", $"no agent in backoff; {failing.Count} with recent failures ({string.Join(", ", failing.Select(f => $"{f.AgentId}: {f.Failures}"))})");
            yield break;
        }

        foreach (var entry in backing)
        {
            yield return DoctorFinding.Fail(
                "backoff",
                $"{entry.Failures} consecutive failure(s); no work is enqueued for it until {entry.Until!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)} ({Seconds(entry.Until.Value - now)} left)",
                $"Find the cause (kubectl logs -n {Namespace} runner-xxx | grep -i \"activation_failed\\|executor_error\"); the backoff lifts by itself, or now: botburrow backoff clear {entry.AgentId} "
                + $"(emergency, every agent: kubectl exec -n {Namespace} valkey-0 -- redis-cli DEL \"work:backoff\")",
                entry.AgentId);
        }
    }

    private static IEnumerable<DoctorFinding> CheckActiveEntries(IReadOnlyDictionary<string, string> active, IReadOnlyList<ActivationInfo> activations, DateTimeOffset now)
    {
        var live = activations.Where(a => a.LeaseExpiresAt > now).Select(a => a.ActivationId).ToHashSet(StringComparer.Ordinal);
        var orphans = active.Where(e => !live.Contains(e.Value)).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        if (orphans.Count == 0)
        {
            yield return DoctorFinding.Ok("active.lease", $"{active.Count} work:active entr{(active.Count == 1 ? "y" : "ies")}, each with a live lease");
            yield break;
        }

        foreach (var (agent, id) in orphans)
        {
            yield return DoctorFinding.Fail(
                "active.lease",
                $"work:active says activation {id} runs, but activation:{id} has no live lease; the agent gets no new work until it is cleared",
                $"A leader's reaper clears it within REAP_INTERVAL; if none runs, start a coordinator, or remove it: redis-cli HDEL \"work:active\" {agent}",
                agent);
        }
    }

    private static DoctorFinding CheckDead(IReadOnlyList<DeadLetter> dead)
    {
        if (dead.Count == 0)
        {
            return DoctorFinding.Ok("dead_letters", "work:dead is empty");
        }

        var agents = string.Join(", ", dead.Select(d => d.Item.AgentId).Distinct(StringComparer.Ordinal).Take(5));
        var last = dead[0].LastError is { } error ? $"; newest error: {error}" : "";
        return DoctorFinding.Warn(
            "dead_letters",
            $"{dead.Count} item(s) exhausted their attempts ({agents}){last}",
            "Inspect them: botburrow dead list; after fixing the cause: botburrow dead requeue ID");
    }

    private IEnumerable<DoctorFinding> CheckOverdue(IReadOnlyList<ActivationInfo> activations, DateTimeOffset now)
    {
        var limit = _settings.ActivationTimeout;
        var overdue = activations.Where(a => a.ClaimedAt != default && now - a.ClaimedAt > limit).ToList();
        if (overdue.Count == 0)
        {
            yield return DoctorFinding.Ok("activation.timeout", $"{activations.Count} running, none past ACTIVATION_TIMEOUT ({Seconds(limit)})");
            yield break;
        }

        foreach (var activation in overdue)
        {
            yield return DoctorFinding.Fail(
                "activation.timeout",
                $"activation {activation.ActivationId} of {activation.AgentId} on {activation.RunnerId} has run {Seconds(now - activation.ClaimedAt)}, past ACTIVATION_TIMEOUT ({Seconds(limit)})",
                $"Force stop: botburrow activations stop {activation.ActivationId} (or kubectl exec -n {Namespace} valkey-0 -- redis-cli DEL \"activation:{activation.ActivationId}\"); "
                + "lower behavior.max_iterations in the agent config, or raise ACTIVATION_TIMEOUT",
                activation.AgentId);
        }
    }


    /// <summary>
    /// The guide's "Agent Looping": an agent activated again and again without success (stopped, failed, timed out)
    /// within <see cref="LoopingWindow"/>. The unread mention that started each run is still unread, so the next
    /// poll activates it again.
    /// </summary>
    private IEnumerable<DoctorFinding> CheckLooping(IReadOnlyList<RecentActivation> recent, DateTimeOffset now)
    {
        var since = now - LoopingWindow;
        var looping = recent
            .Where(r => r.FinishedAt >= since && r.Outcome != RecentActivation.OutcomeName(WorkOutcome.Succeeded))
            .GroupBy(r => r.AgentId, StringComparer.Ordinal)
            .Where(g => g.Count() >= LoopingActivations)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
        if (looping.Count == 0)
        {
            yield return DoctorFinding.Ok("agent.looping", $"no agent activated {LoopingActivations} times without success in {Minutes(LoopingWindow)}");
            yield break;
        }

        foreach (var agent in looping)
        {
            var outcomes = string.Join(", ", agent.GroupBy(r => r.Outcome, StringComparer.Ordinal).OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => $"{o.Count()} {o.Key}"));
            var inbox = agent.Count(r => r.TaskType == TaskType.Inbox);
            var newestError = agent.OrderByDescending(r => r.FinishedAt).Select(r => r.Error).FirstOrDefault(e => !string.IsNullOrEmpty(e));
            yield return DoctorFinding.Warn(
                "agent.looping",
                $"activated {agent.Count()} times in {Minutes(LoopingWindow)} without success ({outcomes}; {inbox} for its inbox, whose mentions stay unread and start it again)"
                + (newestError is null ? "" : $"; newest error: {newestError}"),
                $"Look at its iterations (kubectl logs -n {Namespace} runner-xxx | grep \"iteration\"); lower behavior.max_iterations in the agent config; "
                + $"stop a run: botburrow activations stop ID (or kubectl exec -n {Namespace} valkey-0 -- redis-cli DEL \"activation:ID\"); botburrow activations list shows its runs",
                agent.Key);
        }
    }
}
