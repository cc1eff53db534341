using Botburrow.Agents.Testing;
using Botburrow.Cli.Tests.Operations;
using Xunit;

namespace Botburrow.Cli.Tests.Guide;

/// <summary>
/// The troubleshooting guide's "Coordinator Issues" and "Networking Issues", provoked with a real coordinator
/// process (dev Hub, redis-server): the guide's literal grep finds the line it promises and <c>botburrow doctor</c>
/// names the problem.
/// </summary>
public sealed class CoordinatorAndNetworkingGuideTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>"Coordinator Not Polling": grep -i "leader\|became_leader" shows the leader; doctor --coordinator reads its last poll.</summary>
    [Fact]
    public async Task CoordinatorNotPolling_GrepShowsBecameLeader_AndDoctorReadsTheLastPollAge()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis, leader: false);
        var (coordinator, port) = GuideFleet.Start(fleet, ["coordinator"]);
        await using (coordinator)
        {
            await coordinator.WaitForStandardErrorAsync("became_leader", Ct);
            Assert.NotEmpty(GuideFleet.Grep(coordinator, "leader", "became_leader"));

            var run = await fleet.DoctorJsonAsync(null, "--coordinator", $"http://127.0.0.1:{port}");

            var poll = run.One("coordinator.poll");
            Assert.True(poll.Status == "ok", poll.Seen + "\n" + run.Output);
            Assert.StartsWith("the leader polled ", poll.Seen, StringComparison.Ordinal);
            Assert.Equal("ok", run.One("leader").Status);
        }
    }

    /// <summary>"Coordinator Crashing: 401 Unauthorized from Hub API": the coordinator's log says it in those words; doctor fails hub.key.</summary>
    [Fact]
    public async Task HubRejectsTheKey_LogSays401Unauthorized_AndDoctorFailsHubKey()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis, leader: false);
        var wrongKey = new Dictionary<string, string?> { ["HUB_API_KEY"] = "not-the-key" };
        var (coordinator, _) = GuideFleet.Start(fleet, ["coordinator"], wrongKey);
        await using (coordinator)
        {
            await coordinator.WaitForStandardErrorAsync("401 Unauthorized", Ct);
            var lines = GuideFleet.Grep(coordinator, "401 Unauthorized");
            Assert.Contains(lines, l => l.Contains("Hub answered 401 Unauthorized for GET /api/v1/", StringComparison.Ordinal) && l.Contains("\"poll_error\"", StringComparison.Ordinal));
        }

        var run = await fleet.DoctorJsonAsync(wrongKey);

        run.AssertFails("hub.key", null, "HUB_API_KEY", "kubectl get secret -n botburrow-agents botburrow-agents-secrets -o yaml");
        Assert.Contains("401 Unauthorized", run.One("hub.key").Seen, StringComparison.Ordinal);
    }

    /// <summary>
    /// "Cannot Reach GitHub": definitions from GitHub (AGENT_DEFINITIONS_REPO=owner/repo) behind a proxy that
    /// refuses connections. A mention is logged as "Agent config loading fails" with the cause; the coordinator keeps
    /// polling; its readiness says why; doctor fails definitions with the cause and the proxy/network remedy, and
    /// reads the same from the coordinator.
    /// </summary>
    [Fact]
    public async Task CannotReachGitHub_LoggedWithTheGuidesWords_ReadinessFalse_DoctorFailsDefinitionsWithCauseAndRemedy()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis, leader: false);
        var proxy = $"http://127.0.0.1:{FreePort.Next()}"; // nothing listens: every HTTPS request is refused, nothing leaves the machine
        var github = new Dictionary<string, string?>
        {
            ["AGENT_DEFINITIONS_PATH"] = null,
            ["AGENT_DEFINITIONS_REPO"] = "acme/agent-definitions",
            ["HTTPS_PROXY"] = proxy,
            ["https_proxy"] = proxy,
        };
        var (coordinator, port) = GuideFleet.Start(fleet, ["coordinator"], github);
        await using (coordinator)
        {
            await coordinator.WaitForStandardErrorAsync("became_leader", Ct);
            await GuideFleet.MentionAsync(fleet, "alpha");

            await coordinator.WaitForStandardErrorAsync("Agent config loading fails", Ct);
            var failures = GuideFleet.Events(coordinator, "agent_config_loading_fails");
            Assert.NotEmpty(failures);
            var failure = failures[0];
            var message = failure.GetProperty("message").GetString()!;
            Assert.Contains("Connection refused", message + failure.ToString(), StringComparison.Ordinal);
            Assert.Contains("raw.githubusercontent.com", message + failure.ToString(), StringComparison.Ordinal);

            var (status, body) = await GuideFleet.ReadinessAsync(port);
            Assert.Equal(503, status);
            Assert.Contains("agent config loading fails", body, StringComparison.Ordinal);

            // It keeps polling: another mention reaches it and fails the same way, without a restart.
            await GuideFleet.MentionAsync(fleet, "alpha", "again");
            Assert.False(coordinator.HasExited);

            var run = await fleet.DoctorJsonAsync(github, "--coordinator", $"http://127.0.0.1:{port}");

            run.AssertFails("definitions", null, "printenv | grep -i proxy", "HTTPS_PROXY", "NetworkPolicy", "git-sync");
            var definitions = run.One("definitions");
            Assert.StartsWith("Agent config loading fails: GitHub raw files of acme/agent-definitions", definitions.Seen, StringComparison.Ordinal);
            Assert.Contains("Connection refused", definitions.Seen, StringComparison.Ordinal);
            var poll = run.One("coordinator.poll");
            Assert.Equal("fail", poll.Status);
            Assert.Contains("agent config loading fails", poll.Seen, StringComparison.Ordinal);
        }
    }
}
