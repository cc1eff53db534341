using Botburrow.Agents.Doctor;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Redis;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Botburrow.Cli.Tests.Operations;

/// <summary>
/// <c>botburrow doctor</c>: each check against a real fleet (redis-server, dev Hub, definitions on disk) broken in
/// one way; the check fails (or warns) with its remedy, and a healthy fleet exits 0.
/// </summary>
public sealed class DoctorTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HealthyFleet_ExitsZero_WithATable()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis);
        var result = await CliProcess.RunAsync(["doctor"], fleet.Environment(), cancellationToken: Ct);
        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.StartsWith("STATUS", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains(" 0 fail", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("coordinator-test leads", result.StandardOutput, StringComparison.Ordinal);

        var json = await fleet.DoctorJsonAsync();
        Assert.Equal(0, json.ExitCode);
        Assert.DoesNotContain(json.Findings, f => f.Status == "fail");
        Assert.Equal("ok", json.One("hub.key").Status);
        Assert.Equal("ok", json.One("hub.long_poll").Status);
        Assert.Contains("epoch", json.One("leader").Seen, StringComparison.Ordinal);
        Assert.Contains("1 hybrid", json.One("runners").Seen, StringComparison.Ordinal);
        Assert.Equal("ok", json.One("agent.credentials", "alpha").Status);
    }

    [Fact]
    public async Task Sandbox_ReportsTheSettingInForceAndWhy_AndDoctorItselfIsNotDumpable()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis);

        var auto = await fleet.DoctorJsonAsync();
        var sandbox = auto.One("sandbox");
        if (File.Exists("/usr/bin/bwrap"))
        {
            Assert.Equal("ok", sandbox.Status);
            Assert.Equal("SANDBOX=auto: CLI tools and stdio MCP servers run confined by /usr/bin/bwrap", sandbox.Seen);
        }
        else
        {
            Assert.Equal("warn", sandbox.Status);
            Assert.Contains("bubblewrap", sandbox.Remedy, StringComparison.Ordinal);
        }

        Assert.DoesNotContain(auto.Findings, f => f.Check == "process.dumpable"); // prctl(PR_SET_DUMPABLE, 0) at start

        var off = (await fleet.DoctorJsonAsync(new Dictionary<string, string?> { [SettingNames.Sandbox] = "off" })).One("sandbox");
        Assert.Equal("warn", off.Status);
        Assert.StartsWith("SANDBOX=off: CLI tools and stdio MCP servers run unconfined", off.Seen, StringComparison.Ordinal);
        Assert.Contains("SANDBOX=auto or required", off.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HighQueueHoldsWork_ButOnlyAnExplorationRunnerLives_QueueUnclaimedFails()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis, runner: RunnerMode.Exploration);
        await fleet.Queue.EnqueueAsync(new WorkItem { AgentId = "alpha", TaskType = TaskType.Inbox, Priority = WorkPriority.High, CreatedAt = TimeProvider.System.GetUtcNow().AddMinutes(-10) }, fleet.Epoch, Ct);

        var run = await fleet.DoctorJsonAsync();

        run.AssertFails("queue.unclaimed", "work:queue:high", "--mode notification", "RUNNER_MODE");
        Assert.Contains("no live notification or hybrid runner", run.One("queue.unclaimed").Seen, StringComparison.Ordinal);
        Assert.Contains("1 exploration", run.One("runners").Seen, StringComparison.Ordinal);

        // The item has waited 10 minutes: the queue's age is reported too.
        var queue = run.One("queue", "work:queue:high");
        Assert.Equal("warn", queue.Status);
        Assert.Contains("1 waiting, oldest ", queue.Seen, StringComparison.Ordinal);
        Assert.Contains("kubectl scale deployment/runner-hybrid", queue.Remedy, StringComparison.Ordinal);
        Assert.Contains("kubectl apply -f k8s/apexalgo-iad/hpa.yaml", queue.Remedy, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AgentInBackoff_BackoffFails_WithFailuresAndUntil()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis);
        var until = TimeProvider.System.GetUtcNow().AddMinutes(10).ToUnixTimeSeconds();
        await fleet.Db.HashSetAsync("work:failures", "alpha", 5);
        await fleet.Db.HashSetAsync("work:backoff", "alpha", until);

        var run = await fleet.DoctorJsonAsync();

        run.AssertFails("backoff", "alpha", "botburrow backoff clear alpha", "redis-cli DEL \"work:backoff\"");
        Assert.Contains("5 consecutive failure(s)", run.One("backoff", "alpha").Seen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ActiveEntryWithoutLease_ActiveLeaseFails()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis);
        await fleet.Db.HashSetAsync("work:active", "alpha", "ghost-activation");

        var run = await fleet.DoctorJsonAsync();

        run.AssertFails("active.lease", "alpha", "HDEL \"work:active\" alpha", "REAP_INTERVAL");
        Assert.Contains("ghost-activation", run.One("active.lease", "alpha").Seen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GitHubPatUnset_ForAnAgentGrantedGithubRead_CredentialsFail_AndPassOnceSet()
    {
        var coder = DoctorFleet.AlphaConfig.Replace("name: alpha", "name: coder", StringComparison.Ordinal) + "\n    - github:read\n";
        await using var fleet = await DoctorFleet.StartAsync(redis, new Dictionary<string, string> { ["coder"] = coder });

        var run = await fleet.DoctorJsonAsync(new Dictionary<string, string?> { ["GITHUB_PAT"] = null });
        run.AssertFails("agent.credentials", "coder", "GITHUB_PAT", "kubectl create secret generic botburrow-agents-secrets");
        Assert.Contains("grant github:read needs GITHUB_PAT", run.One("agent.credentials", "coder").Seen, StringComparison.Ordinal);

        var fixedRun = await fleet.DoctorJsonAsync(new Dictionary<string, string?> { ["GITHUB_PAT"] = "ghp_test" });
        Assert.Equal("ok", fixedRun.One("agent.credentials", "coder").Status);
        Assert.Equal(0, fixedRun.ExitCode);
    }

    [Fact]
    public async Task AgentAnsweringMentionsWithoutHubWrite_HubWriteFails_AndPassesWhenItAnswersNone()
    {
        var reader = DoctorFleet.AlphaConfig.Replace("name: alpha", "name: reader", StringComparison.Ordinal).Replace("\n    - hub:write", "", StringComparison.Ordinal) + "\n";
        var quiet = reader.Replace("name: reader", "name: quiet", StringComparison.Ordinal) + "behavior:\n  respond_to_mentions: false\n";
        Assert.DoesNotContain("hub:write", reader, StringComparison.Ordinal);
        await using var fleet = await DoctorFleet.StartAsync(redis, new Dictionary<string, string> { ["alpha"] = DoctorFleet.AlphaConfig, ["reader"] = reader, ["quiet"] = quiet });

        var run = await fleet.DoctorJsonAsync();

        run.AssertFails("agent.hub_write", "reader", "Grant hub:write", "respond_to_mentions: false", "botburrow agents grants reader");
        Assert.Contains("answers mentions (behavior.respond_to_mentions is true) but hub:write is not held", run.One("agent.hub_write", "reader").Seen, StringComparison.Ordinal);
        Assert.Equal("ok", run.One("agent.hub_write", "quiet").Status);
        Assert.Equal("ok", run.One("agent.hub_write", "alpha").Status);
        Assert.Equal(1, run.ExitCode);
    }

    [Fact]
    public async Task WrongHubApiKey_HubKeyFails()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis);

        var run = await fleet.DoctorJsonAsync(new Dictionary<string, string?> { ["HUB_API_KEY"] = "not-the-key" });

        run.AssertFails("hub.key", null, "HUB_API_KEY", "kubectl get secret -n botburrow-agents botburrow-agents-secrets -o yaml");
        Assert.Equal("ok", run.One("hub.reachable").Status);
    }

    [Fact]
    public async Task HubUnreachable_HubReachableFails()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis);

        var run = await fleet.DoctorJsonAsync(new Dictionary<string, string?> { ["HUB_URL"] = $"http://127.0.0.1:{FreePort.Next()}/" });

        run.AssertFails("hub.reachable", null, "curl -v $HUB_URL/api/v1/health");
    }

    [Fact]
    public async Task RedisUnreachable_RedisFails()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis);

        var run = await fleet.DoctorJsonAsync(new Dictionary<string, string?> { ["REDIS_URL"] = $"redis://127.0.0.1:{FreePort.Next()}" });

        run.AssertFails("redis", null, "kubectl get pods -n botburrow-agents -l app=valkey");
        Assert.DoesNotContain(run.Findings, f => f.Check == "leader");
    }

    [Fact]
    public async Task NoLeader_LeaderFails()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis, leader: false);

        var run = await fleet.DoctorJsonAsync();

        run.AssertFails("leader", null, "became_leader", "app.kubernetes.io/name=coordinator");
    }

    [Fact]
    public async Task MissingSettings_SettingsFail()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis);

        var run = await fleet.DoctorJsonAsync(new Dictionary<string, string?> { ["HUB_API_KEY"] = null });

        run.AssertFails("settings", null, "kubectl apply -f k8s/apexalgo-iad/configmap.yaml");
        Assert.Contains("HUB_API_KEY", run.One("settings").Seen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeadLetters_Warn_WithRequeueRemedy()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis);
        var dead = new DeadLetter { Id = "act-dead-1", DeadAt = TimeProvider.System.GetUtcNow(), Item = new WorkItem { AgentId = "alpha", TaskType = TaskType.Inbox, Priority = WorkPriority.High, Attempt = 3, LastError = "lease expired" } };
        await fleet.Db.ListLeftPushAsync("work:dead", WorkItemJson.SerializeDead(dead));

        var run = await fleet.DoctorJsonAsync();

        var finding = run.One("dead_letters");
        Assert.Equal("warn", finding.Status);
        Assert.Contains("1 item(s)", finding.Seen, StringComparison.Ordinal);
        Assert.Contains("botburrow dead requeue ID", finding.Remedy, StringComparison.Ordinal);
        Assert.Equal(0, run.ExitCode);
    }

    [Fact]
    public async Task InvalidDefinition_DefinitionsFail()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis, new Dictionary<string, string>
        {
            ["alpha"] = DoctorFleet.AlphaConfig,
            ["broken"] = "version: \"1.0.0\"\nname: broken\ntype: telepathy\nbrain:\n  model: x\n",
        });

        var run = await fleet.DoctorJsonAsync();

        run.AssertFails("definitions", null, "botburrow agents validate");
        Assert.Contains("type", run.One("definitions").Seen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CliExecutorAgent_WithoutThatExecutor_ExecutorFails()
    {
        var reviewer = DoctorFleet.AlphaConfig.Replace("name: alpha", "name: reviewer", StringComparison.Ordinal).Replace("type: native", "type: claude-code", StringComparison.Ordinal);
        await using var fleet = await DoctorFleet.StartAsync(redis, new Dictionary<string, string> { ["reviewer"] = reviewer });

        // Without SCRIPTED_BRAIN the agent's real executor is checked.
        var run = await fleet.DoctorJsonAsync(new Dictionary<string, string?> { ["SCRIPTED_BRAIN"] = null, ["ANTHROPIC_API_KEY"] = "sk-test" });

        run.AssertFails("agent.executor", "reviewer", "type: field");
        Assert.Contains("Executor 'claude-code' not available", run.One("agent.executor", "reviewer").Seen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LlmKeyMissing_ForAnthropicAgent_LlmKeyFails()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis);

        var run = await fleet.DoctorJsonAsync(new Dictionary<string, string?> { ["SCRIPTED_BRAIN"] = null, ["ANTHROPIC_API_KEY"] = null });

        run.AssertFails("agent.llm_key", "alpha", "ANTHROPIC_API_KEY");
    }

    [Fact]
    public async Task McpServerCommandMissing_McpFails()
    {
        var tooling = DoctorFleet.AlphaConfig.Replace("name: alpha", "name: tooling", StringComparison.Ordinal)
            + "\n  mcp_servers:\n    - name: custom\n      command: botburrow-no-such-mcp-server\n";
        await using var fleet = await DoctorFleet.StartAsync(redis, new Dictionary<string, string> { ["tooling"] = tooling });

        var run = await fleet.DoctorJsonAsync();

        run.AssertFails("agent.mcp", "tooling", "Install it in the runner image");
        Assert.Contains("'botburrow-no-such-mcp-server', which is not on PATH", run.One("agent.mcp", "tooling").Seen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HubWithoutLongPoll_LongPollWarns()
    {
        var port = FreePort.Next();
        using var listener = new System.Net.HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var serving = ServeOldHubAsync(listener);
        try
        {
            var settings = SettingsLoader.Load(new Dictionary<string, string?> { ["HUB_URL"] = $"http://127.0.0.1:{port}/", ["HUB_API_KEY"] = "k" });
            using var http = new HttpClient();
            var hub = new Botburrow.Agents.Hub.HubClient(http, new Botburrow.Agents.Hub.HubClientOptions { BaseUrl = settings.HubUrl, ApiKey = "k", MaxAttempts = 1 });

            var report = await new FleetDoctor(settings).RunAsync(new DoctorTargets { Hub = hub }, Ct);

            Assert.Equal(DoctorStatus.Ok, Assert.Single(report.Findings, f => f.Check == "hub.key").Status);
            var longPoll = Assert.Single(report.Findings, f => f.Check == "hub.long_poll");
            Assert.Equal(DoctorStatus.Warn, longPoll.Status);
            Assert.Contains("long_poll_not_available_falling_back", longPoll.Seen, StringComparison.Ordinal);
            Assert.Contains("POLL_INTERVAL", longPoll.Remedy, StringComparison.Ordinal);
        }
        finally
        {
            listener.Stop();
            await serving;
        }
    }

    [Fact]
    public async Task ActivationRunningPastActivationTimeout_Fails_WithStopRemedy()
    {
        redis.EnsureAvailable();
        var clock = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var connection = await RedisConnection.ConnectAsync(redis.Url, retryFor: TimeSpan.FromSeconds(10));
        var options = new WorkQueueOptions { KeyPrefix = "timeout-test:" };
        var queue = new RedisWorkQueue(connection, options, clock);
        var lease = await queue.TryAcquireOrRenewAsync("coordinator-test", TimeSpan.FromHours(2), Ct);
        await queue.EnqueueAsync(new WorkItem { AgentId = "slowpoke", TaskType = TaskType.Inbox, Priority = WorkPriority.High, CreatedAt = clock.GetUtcNow() }, lease!.Epoch, Ct);
        var claimed = await queue.TryClaimAsync("runner-test", RunnerMode.Hybrid, Ct);
        Assert.NotNull(claimed);

        // The runner keeps the lease alive (it is stuck, not dead) while the clock passes ACTIVATION_TIMEOUT.
        for (var i = 0; i < 7; i++)
        {
            clock.Advance(TimeSpan.FromSeconds(10));
            var cancelled = await queue.HeartbeatAsync(new RunnerHeartbeat { RunnerId = "runner-test", Mode = RunnerMode.Hybrid }, [claimed.ActivationId], Ct);
            Assert.Empty(cancelled);
        }

        var settings = SettingsLoader.Load(new Dictionary<string, string?> { ["ACTIVATION_TIMEOUT"] = "60" });
        var report = await new FleetDoctor(settings, clock).RunAsync(new DoctorTargets { Queue = queue, Election = queue }, Ct);

        var finding = Assert.Single(report.Findings, f => f.Check == "activation.timeout");
        Assert.Equal(DoctorStatus.Fail, finding.Status);
        Assert.Equal("slowpoke", finding.Subject);
        Assert.Contains($"botburrow activations stop {claimed.ActivationId}", finding.Remedy, StringComparison.Ordinal);
        Assert.Contains($"redis-cli DEL \"activation:{claimed.ActivationId}\"", finding.Remedy, StringComparison.Ordinal);
        Assert.Contains("ACTIVATION_TIMEOUT (60 s)", finding.Seen, StringComparison.Ordinal);
        Assert.Equal(DoctorStatus.Ok, Assert.Single(report.Findings, f => f.Check == "active.lease").Status);
        Assert.True(report.Failed);
    }

    /// <summary>A Hub from before long-poll: health and notifications answer, the poll endpoint is 404.</summary>
    private static async Task ServeOldHubAsync(System.Net.HttpListener listener)
    {
        while (listener.IsListening)
        {
            System.Net.HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is System.Net.HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var path = context.Request.Url!.AbsolutePath;
            var (status, body) = path switch
            {
                "/api/v1/health" => (200, "{\"status\":\"ok\"}"),
                "/api/v1/notifications" => (200, "{\"notifications\":[]}"),
                _ => (404, "{\"title\":\"Not Found\"}"),
            };
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            var bytes = System.Text.Encoding.UTF8.GetBytes(body);
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }
}
