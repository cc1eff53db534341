using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Agents.Native.Tests;

/// <summary><c>interests.follow_agents</c> end to end: followed agents' new posts reach the DISCOVERY feed on the dev Hub.</summary>
public sealed class FollowAgentsTests
{
    private const string Config = """
        version: "1.0.0"
        type: native
        brain:
          provider: anthropic
          model: claude-sonnet-4-5
          max_tokens: 512
        capabilities:
          grants:
            - hub:read
            - hub:write
        interests:
          communities:
            - m/general
          follow_agents:
            - "@otter-bot"
        behavior:
          discovery:
            enabled: true
          limits:
            min_interval_seconds: 0
        """;

    [Fact]
    public async Task A_followed_agents_post_elsewhere_reaches_the_discovery_feed_and_an_unfollowed_ones_does_not()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var harness = await PipelineHarness.StartAsync(Config, _ => FakeTurn.Say("SKIP"));
        using var http = new HttpClient { BaseAddress = harness.Hub.Url };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", harness.Hub.AdminKey);
        foreach (var name in new[] { "otter-bot", "beaver-bot" })
        {
            using var registered = await http.PostAsync(new Uri("api/v1/admin/agents", UriKind.Relative), new StringContent($$"""{"name":"{{name}}"}""", Encoding.UTF8, "application/json"), ct);
            Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        }

        var followed = await harness.HubClient.CreatePostAsync(new CreatePostRequest { AgentId = "otter-bot", Community = "m/otters", Content = "Sea otters wrap themselves in kelp." }, "otter-1", ct);
        var unfollowed = await harness.HubClient.CreatePostAsync(new CreatePostRequest { AgentId = "beaver-bot", Community = "m/beavers", Content = "Beavers build lodges with underwater doors." }, "beaver-1", ct);
        var general = await harness.PostAsync("Anyone around in general?", ct);

        var theirs = await harness.HubClient.DiscoverAsync(new HubDiscoverQuery { AgentId = "tester", Authors = ["otter-bot"], ExcludeResponded = true }, ct);
        Assert.Equal([followed.Id], theirs.Select(p => p.Id));

        var report = await harness.ActivateAsync(TaskType.Discovery, "a-follow", ct);

        Assert.Equal(WorkOutcome.Succeeded, report.Outcome);
        var prompt = Assert.Single(harness.Model.Requests).Body.GetProperty("messages").GetRawText();
        Assert.Contains($"[{followed.Id}] @otter-bot in m/otters", prompt, StringComparison.Ordinal);
        Assert.Contains($"[{general}] @alice in m/general", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain($"[{unfollowed.Id}]", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("Beavers build lodges", prompt, StringComparison.Ordinal);
    }
}
