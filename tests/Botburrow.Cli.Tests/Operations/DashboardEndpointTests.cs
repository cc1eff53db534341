using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Cli.Tests.Operations;

/// <summary>
/// <c>botburrow coordinator</c> serves the dashboard on loopback: escaped HTML, JSON and transcripts that need
/// DASHBOARD_TOKEN, and actions that need ADMIN_TOKEN.
/// </summary>
public sealed class DashboardEndpointTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private const string AdminToken = "endpoint-admin-token";
    private const string DashboardToken = "endpoint-dashboard-token";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Coordinator_ServesEscapedDashboard_AndRequeueNeedsTheAdminToken()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis, leader: false);
        var hostile = "<img src=x onerror=alert(1)>";
        var dead = new DeadLetter { Id = "act-\"<x1>", DeadAt = TimeProvider.System.GetUtcNow(), Item = new WorkItem { AgentId = "alpha", TaskType = TaskType.Inbox, Priority = WorkPriority.High, Attempt = 3, LastError = hostile } };
        await fleet.Db.ListLeftPushAsync("work:dead", WorkItemJson.SerializeDead(dead));
        var port = FreePort.Next();
        var env = fleet.Environment(new Dictionary<string, string?> { ["METRICS_PORT"] = port.ToString(CultureInfo.InvariantCulture), ["ADMIN_TOKEN"] = AdminToken, ["DASHBOARD_TOKEN"] = DashboardToken });
        await using var coordinator = RunningCli.Start(["coordinator"], env);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DashboardToken);
        await WaitForLeaderAsync(http, coordinator);
        Assert.All(Exposure.ListeningSockets.AddressesOf(port), address => Assert.True(IPAddress.IsLoopback(address), $"the coordinator listens on {address}"));

        using (var anonymous = new HttpClient { BaseAddress = http.BaseAddress })
        {
            foreach (var path in new[] { "/", "/dashboard", "/api/v1/dashboard", "/dashboard/transcripts/abc" })
            {
                using var refused = await anonymous.GetAsync(new Uri(path, UriKind.Relative), Ct);
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            }
        }

        foreach (var path in new[] { "/", "/dashboard" })
        {
            var html = await http.GetStringAsync(new Uri(path, UriKind.Relative), Ct);
            Assert.Contains("<h1>Botburrow fleet</h1>", html, StringComparison.Ordinal);
            Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html, StringComparison.Ordinal);
            Assert.DoesNotContain(hostile, html, StringComparison.Ordinal);
            Assert.DoesNotContain("<x1>", html, StringComparison.Ordinal);
        }

        var requeue = new Uri("/api/v1/dead/" + Uri.EscapeDataString(dead.Id) + "/requeue", UriKind.Relative);
        using (var refused = await http.PostAsync(requeue, null, Ct))
        {
            // DASHBOARD_TOKEN reads; it does not act.
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using (var request = new HttpRequestMessage(HttpMethod.Post, requeue))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
            using var accepted = await http.SendAsync(request, Ct);
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        }

        Assert.Equal(0, await fleet.Db.ListLengthAsync("work:dead"));
        using var snapshot = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/v1/dashboard", UriKind.Relative), Ct));
        Assert.Equal(0, snapshot.RootElement.GetProperty("dead").GetArrayLength());
        Assert.True(snapshot.RootElement.GetProperty("epoch").GetInt64() >= 1);
        Assert.Equal(3, snapshot.RootElement.GetProperty("queues").GetArrayLength());

        using var transcript = await http.GetAsync(new Uri("/dashboard/transcripts/abc", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.NotFound, transcript.StatusCode);
        Assert.Contains("No transcript is stored", await transcript.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        var stored = new ActivationTranscript
        {
            ActivationId = "act-t1",
            AgentId = "alpha",
            Task = TaskType.Inbox,
            StartedAt = TimeProvider.System.GetUtcNow(),
            Outcome = "succeeded",
            Conversations = [new TranscriptConversation { Subject = "notification 7", Entries = [new TranscriptEntry { Kind = "text", Role = "assistant", Text = hostile }] }],
        };
        await fleet.Db.StringSetAsync("transcript:act-t1", stored.ToJson());
        var shown = await http.GetStringAsync(new Uri("/dashboard/transcripts/act-t1", UriKind.Relative), Ct);
        Assert.Contains("activation act-t1: agent alpha, inbox, succeeded", shown, StringComparison.Ordinal);
        Assert.Contains("[assistant] &lt;img src=x onerror=alert(1)&gt;", shown, StringComparison.Ordinal);
        Assert.DoesNotContain(hostile, shown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dashboard_ShowsLeasesLostPerRunner_AndMemorySizePerAgentWithMemory()
    {
        var agents = new Dictionary<string, string>
        {
            ["alpha"] = DoctorFleet.AlphaConfig + "\nmemory:\n  enabled: true\n  max_size_mb: 2\n  retrieval:\n    strategy: keyword\n",
            ["beta"] = DoctorFleet.AlphaConfig.Replace("name: alpha", "name: beta", StringComparison.Ordinal),
        };
        await using var fleet = await DoctorFleet.StartAsync(redis, agents, leader: false);
        await fleet.Queue.HeartbeatAsync(new RunnerHeartbeat { RunnerId = "runner-lossy", Mode = RunnerMode.Hybrid, Concurrency = 2, StartedAt = DateTimeOffset.UnixEpoch, LeasesLost = 3 }, [], Ct);
        var store = new Botburrow.Agents.Redis.RedisAgentMemoryStore(fleet.Connection, new Botburrow.Agents.Redis.RedisKeys());
        foreach (var (agent, text) in new[] { ("alpha", "Alice prefers otters to beavers."), ("alpha", "Bob ships on Fridays."), ("beta", "Not shown: beta has memory off.") })
        {
            await store.RememberAsync(new Botburrow.Agents.Memory.AgentMemory { Id = Botburrow.Agents.Memory.AgentMemory.NewId(), Agent = agent, Kind = Botburrow.Agents.Memory.MemoryKind.Conversation, Text = text, CreatedAt = TimeProvider.System.GetUtcNow() }, Ct);
        }

        var alphaBytes = await store.SizeAsync("alpha", Ct);
        Assert.True(alphaBytes > 0);
        var port = FreePort.Next();
        var env = fleet.Environment(new Dictionary<string, string?> { ["METRICS_PORT"] = port.ToString(CultureInfo.InvariantCulture), ["ADMIN_TOKEN"] = AdminToken, ["DASHBOARD_TOKEN"] = DashboardToken });
        await using var coordinator = RunningCli.Start(["coordinator"], env);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", DashboardToken);
        await WaitForLeaderAsync(http, coordinator);

        using var snapshot = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/v1/dashboard", UriKind.Relative), Ct));
        var runners = snapshot.RootElement.GetProperty("runners").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!, r => r.GetProperty("leases_lost").GetInt64());
        Assert.Equal(3, runners["runner-lossy"]);
        Assert.Equal(0, runners["runner-test"]);
        var memory = Assert.Single(snapshot.RootElement.GetProperty("memory").EnumerateArray());
        Assert.Equal("alpha", memory.GetProperty("agent").GetString());
        Assert.Equal(alphaBytes, memory.GetProperty("bytes").GetInt64());
        Assert.Equal(2L * 1024 * 1024, memory.GetProperty("max_bytes").GetInt64());

        var html = await http.GetStringAsync(new Uri("/dashboard", UriKind.Relative), Ct);
        Assert.Contains("<th>Leases lost</th>", html, StringComparison.Ordinal);
        Assert.Matches("<tr data-runner=\"runner-lossy\">(<td>[^<]*</td>){4}<td>3</td>", html);
        Assert.Matches($"<table id=\"memory\">.*<tr data-agent=\"alpha\"><td>alpha</td><td>{alphaBytes} B</td><td>2.0 MiB</td></tr>", html);
        Assert.DoesNotContain("data-agent=\"beta\"", html, StringComparison.Ordinal);
    }

    private static async Task WaitForLeaderAsync(HttpClient http, RunningCli coordinator)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var document = JsonDocument.Parse(await http.GetStringAsync(new Uri("/api/v1/dashboard", UriKind.Relative), Ct));
                if (document.RootElement.TryGetProperty("leader", out var leader) && leader.ValueKind == JsonValueKind.String)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (deadline.Elapsed > TestConstants.DefaultTimeout || coordinator.HasExited)
            {
                throw new TimeoutException($"the coordinator did not lead in time.\nstdout:\n{coordinator.StandardOutput}\nstderr:\n{coordinator.StandardError}");
            }

            await Task.Delay(100, Ct);
        }
    }
}
