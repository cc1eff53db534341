using System.Diagnostics;
using System.Globalization;
using System.Net;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Grants;
using Botburrow.Agents.Definitions.Sources;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Work;

namespace Botburrow.Agents.Doctor;

/// <summary>
/// <c>botburrow doctor</c>: every diagnosis of the troubleshooting guide that can be automated, as one check each.
/// Each finding says ok / warn / fail, what was seen and the remedy (the guide's commands where they apply).
/// </summary>
public sealed class FleetDoctor
{
    private const string Namespace = "botburrow-agents";
    private readonly BotburrowSettings _settings;
    private readonly TimeProvider _time;

    public FleetDoctor(BotburrowSettings settings, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>A queue whose oldest item waited longer than this is reported (warn).</summary>
    public TimeSpan StaleQueueAge { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>A Redis round trip slower than this is reported (warn).</summary>
    public TimeSpan SlowRedis { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the long-poll probe waits.</summary>
    public TimeSpan LongPollProbe { get; init; } = TimeSpan.FromSeconds(1);

    public async Task<DoctorReport> RunAsync(DoctorTargets targets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var findings = new List<DoctorFinding>();
        findings.AddRange(CheckSettings());
        findings.AddRange(CheckIsolation());
        findings.AddRange(await CheckWorkStoreAsync(targets, cancellationToken));
        findings.AddRange(await CheckHubAsync(targets.Hub, cancellationToken));
        var agents = await CheckDefinitionsAsync(targets.Definitions, findings, cancellationToken);
        foreach (var agent in agents)
        {
            findings.AddRange(CheckAgent(agent, targets));
        }

        // Findings quote URLs and error messages (HUB_URL, a repository, a base URL): none may show a secret.
        return new DoctorReport
        {
            Findings = [.. findings.Select(f => f with
            {
                Seen = SecretMasker.MaskUrls(f.Seen),
                Remedy = SecretMasker.MaskUrls(f.Remedy),
                Subject = f.Subject is null ? null : SecretMasker.MaskUrls(f.Subject),
            })],
        };
    }

    private List<DoctorFinding> CheckSettings()
    {
        var missing = new[] { SettingNames.HubUrl, SettingNames.HubApiKey, SettingNames.RedisUrl }
            .Where(name => string.IsNullOrWhiteSpace(_settings.Get(name)))
            .ToList();

        if (missing.Count == 0)
        {
            return [DoctorFinding.Ok("settings", "HUB_URL, HUB_API_KEY and REDIS_URL are set")];
        }

        var remedy = $"Set {string.Join(", ", missing)}: check the ConfigMap is mounted (kubectl get configmap -n {Namespace} botburrow-agents-config; "
            + "kubectl apply -f k8s/apexalgo-iad/configmap.yaml) and the Secret exists (kubectl get secret -n botburrow-agents botburrow-agents-secrets), "
            + $"then kubectl rollout restart deployment/coordinator -n {Namespace}";
        return [DoctorFinding.Fail("settings", $"not set: {string.Join(", ", missing)}", remedy)];
    }

    /// <summary>Which <c>SANDBOX</c> is in force and whether this host can confine children; whether this process is non-dumpable.</summary>
    private List<DoctorFinding> CheckIsolation()
    {
        var sandbox = Isolation.ChildSandbox.FromSettings(_settings, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
        var (confined, why) = sandbox.Describe();
        const string Remedy = "Install bubblewrap (apt-get install bubblewrap; the runner image has it) and allow unprivileged user namespaces "
            + "(sysctl kernel.unprivileged_userns_clone=1 / user.max_user_namespaces > 0, a seccomp and AppArmor profile that allow them; docs/deployment.md), "
            + "then set SANDBOX=required";
        var findings = new List<DoctorFinding>
        {
            confined ? DoctorFinding.Ok("sandbox", why)
                : sandbox.Mode == Isolation.SandboxMode.Off ? DoctorFinding.Warn("sandbox", why, "Set SANDBOX=auto or required so CLI tools and MCP servers cannot read the runner's files")
                : sandbox.Mode == Isolation.SandboxMode.Required ? DoctorFinding.Fail("sandbox", why, Remedy)
                : DoctorFinding.Warn("sandbox", why, Remedy),
        };
        if (Isolation.ProcessHardening.IsDumpable() == true)
        {
            findings.Add(DoctorFinding.Warn(
                "process.dumpable",
                "this botburrow process is dumpable: processes of its user may read its environment and memory" + (Isolation.ProcessHardening.Failure is { } failure ? $" ({failure})" : ""),
                "Run botburrow as its own executable (it makes itself non-dumpable at start); check a seccomp profile does not forbid prctl"));
        }

        return findings;
    }

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

    private async Task<List<DoctorFinding>> CheckHubAsync(IHubClient? hub, CancellationToken cancellationToken)
    {
        const string reachRemedy = "Test the Hub from the coordinator pod: kubectl exec -n botburrow-agents coordinator-xxx -- curl -v $HUB_URL/api/v1/health; "
            + "check HUB_URL (in-cluster: http://hub.botburrow.svc.cluster.local:8000)";
        if (hub is null || _settings.HubUrl is null)
        {
            return [DoctorFinding.Fail("hub.reachable", "HUB_URL is not set; Hub checks were skipped", "Set HUB_URL. " + reachRemedy)];
        }

        var url = SecretMasker.MaskUrl(_settings.HubUrl.ToString());
        var findings = new List<DoctorFinding>();
        try
        {
            var started = Stopwatch.GetTimestamp();
            var health = await hub.GetHealthAsync(cancellationToken);
            findings.Add(DoctorFinding.Ok("hub.reachable", $"{url} answered /api/v1/health ({health.Status}) in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms"));
        }
        catch (Exception ex) when (ex is HubException or HttpRequestException or TaskCanceledException or TimeoutException)
        {
            findings.Add(DoctorFinding.Fail("hub.reachable", $"{url}: {ex.Message}", reachRemedy));
            return findings;
        }

        try
        {
            await hub.ListNotificationsAsync(null, unreadOnly: true, limit: 1, cancellationToken: cancellationToken);
            findings.Add(DoctorFinding.Ok("hub.key", "HUB_API_KEY accepted (GET /api/v1/notifications)"));
        }
        catch (HubException ex) when (ex.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            findings.Add(DoctorFinding.Fail(
                "hub.key",
                $"the Hub refused HUB_API_KEY: {ex.Message}",
                "Check the HUB_API_KEY secret: kubectl get secret -n botburrow-agents botburrow-agents-secrets -o yaml; "
                + "recreate it: kubectl create secret generic botburrow-agents-secrets --from-literal=HUB_API_KEY=... -n botburrow-agents"));
            return findings;
        }
        catch (Exception ex) when (ex is HubException or HttpRequestException or TaskCanceledException or TimeoutException)
        {
            findings.Add(DoctorFinding.Fail("hub.key", $"keyed GET /api/v1/notifications failed: {ex.Message}", reachRemedy));
            return findings;
        }

        try
        {
            var poll = await hub.PollAsync(LongPollProbe, 1, cancellationToken);
            findings.Add(poll.Status == HubPollStatus.NotAvailable
                ? DoctorFinding.Warn(
                    "hub.long_poll",
                    "the Hub has no long-poll; the coordinator lists agents every POLL_INTERVAL instead (log long_poll_not_available_falling_back)",
                    $"Upgrade the Hub for immediate wake-ups, or lower POLL_INTERVAL (now {Seconds(_settings.PollInterval)})")
                : DoctorFinding.Ok("hub.long_poll", $"long-poll supported ({poll.Status.ToString().ToLowerInvariant()}; timeouts are expected: poll_timeout)"));
        }
        catch (Exception ex) when (ex is HubException or HttpRequestException or TaskCanceledException or TimeoutException)
        {
            findings.Add(DoctorFinding.Warn("hub.long_poll", $"long-poll probe failed: {ex.Message}", reachRemedy));
        }

        return findings;
    }

    private static async Task<IReadOnlyList<AgentDefinition>> CheckDefinitionsAsync(IAgentDefinitionSource? source, List<DoctorFinding> findings, CancellationToken cancellationToken)
    {
        const string remedy = "Run botburrow agents validate; check AGENT_DEFINITIONS_PATH is correct and the git-sync sidecar is working";
        if (source is null)
        {
            findings.Add(DoctorFinding.Fail("definitions", "no agent definitions source is configured", remedy));
            return [];
        }

        if (!source.SupportsListing)
        {
            findings.Add(DoctorFinding.Warn("definitions", $"{source.Description} cannot list agents; per-agent checks were skipped", "Use git-sync (AGENT_DEFINITIONS_PATH) or a git repository to let doctor see every agent"));
            return [];
        }

        AgentCatalog catalog;
        try
        {
            catalog = await source.ListAsync(cancellationToken);
        }
        catch (AgentDefinitionSourceException ex)
        {
            findings.Add(DoctorFinding.Fail("definitions", ex.Message, remedy));
            return [];
        }

        if (catalog.Problems.Count > 0)
        {
            var first = string.Join("; ", catalog.Problems.Take(3).Select(p => p.Format(catalog.Root)));
            findings.Add(DoctorFinding.Fail("definitions", $"{catalog.Problems.Count} problem(s) in {source.Description}: {first}", remedy));
        }
        else if (catalog.Agents.Count == 0)
        {
            findings.Add(DoctorFinding.Fail("definitions", $"no agent found in {source.Description}", remedy));
        }
        else
        {
            findings.Add(DoctorFinding.Ok("definitions", $"{catalog.Agents.Count} agent(s) and {catalog.Skills.Count} skill(s) valid in {source.Description}"));
        }

        return catalog.Agents;
    }

    private IEnumerable<DoctorFinding> CheckAgent(AgentDefinition agent, DoctorTargets targets)
    {
        var name = agent.Name;
        yield return targets.ExecutorProbe(agent) is { } unavailable
            ? DoctorFinding.Fail("agent.executor", unavailable, "Check the CLI is installed in the image; verify the type: field in the agent config matches an executor", name)
            : DoctorFinding.Ok("agent.executor", $"type {agent.Type.ToString().ToLowerInvariant()} can run", name);

        var missing = AgentRequirements.Credentials(agent).Where(c => string.IsNullOrEmpty(Env(c.Credential))).ToList();
        yield return missing.Count > 0
            ? DoctorFinding.Fail(
                "agent.credentials",
                string.Join("; ", missing.Select(m => $"grant {m.Grant} needs {m.Credential}, which is not set")),
                $"Add {string.Join(", ", missing.Select(m => m.Credential))} to the runners' secret (kubectl create secret generic botburrow-agents-secrets "
                + $"{string.Join(" ", missing.Select(m => $"--from-literal={m.Credential}=..."))} -n {Namespace}) and restart the runners",
                name)
            : DoctorFinding.Ok("agent.credentials", AgentRequirements.Credentials(agent).Count == 0 ? "its grants need no credential" : "credentials for its grants are set", name);

        var path = Env("PATH") ?? System.Environment.GetEnvironmentVariable("PATH");
        var absent = AgentRequirements.McpCommands(agent).Where(c => !AgentRequirements.IsOnPath(c.Command, path)).ToList();
        yield return absent.Count > 0
            ? DoctorFinding.Fail(
                "agent.mcp",
                string.Join("; ", absent.Select(a => $"MCP server '{a.Server}' needs '{a.Command}', which is not on PATH")),
                "Install it in the runner image (the catalog servers need Node.js for npx), or fix the server's command in the agent config",
                name)
            : DoctorFinding.Ok("agent.mcp", agent.Capabilities.McpServers.Count == 0 ? "no MCP server" : "MCP server commands found", name);

        yield return targets.BrainProbe(agent) is { } noKey
            ? DoctorFinding.Fail(
                "agent.llm_key",
                noKey,
                $"Check the key in secrets (kubectl create secret generic botburrow-agents-secrets --from-literal={KeyName(agent)}=sk-... -n {Namespace}); verify it has credits",
                name)
            : DoctorFinding.Ok("agent.llm_key", _settings.ScriptedBrain is not null ? "scripted test double (SCRIPTED_BRAIN)" : $"key for provider {agent.Brain.Provider.ToString().ToLowerInvariant()} present", name);

        yield return CheckHubWrite(agent);
    }

    /// <summary>An agent that answers mentions needs hub:write (effective, under the permissions policy) to post its replies.</summary>
    private DoctorFinding CheckHubWrite(AgentDefinition agent)
    {
        const string check = "agent.hub_write";
        const string writeGrant = "hub:write";
        var name = agent.Name;
        if (!agent.Behavior.RespondToMentions)
        {
            return DoctorFinding.Ok(check, "does not answer mentions", name);
        }

        EffectiveGrants grants;
        try
        {
            grants = new PermissionsPolicySource(_settings.AgentPermissionsPath).Evaluate(name, agent.Capabilities.Grants);
        }
        catch (PermissionsPolicyException ex)
        {
            return DoctorFinding.Fail(check, ex.Message, $"Fix the permissions policy file ({SettingNames.AgentPermissionsPath})", name);
        }

        return grants.Holds(writeGrant)
            ? DoctorFinding.Ok(check, "answers mentions and holds hub:write", name)
            : DoctorFinding.Fail(
                check,
                $"answers mentions (behavior.respond_to_mentions is true) but {grants.Explain(Grant.Parse(writeGrant))}: its replies are refused (Failed to post response: 403 Forbidden)",
                $"Grant hub:write in capabilities.grants (and allow it in {SettingNames.AgentPermissionsPath} when a policy is set), or set behavior.respond_to_mentions: false; botburrow agents grants {name} explains",
                name);
    }

    private static string KeyName(AgentDefinition agent) => agent.Brain.Provider switch
    {
        LlmProvider.Anthropic => SettingNames.AnthropicApiKey,
        _ => agent.Brain.ApiKeyEnv ?? SettingNames.OpenAIApiKey,
    };

    private string? Env(string name) => _settings.Environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static string PriorityName(WorkPriority priority) => priority.ToString().ToLowerInvariant();

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
