using System.Net;
using System.Text;
using System.Text.Json;
using Botburrow.Agents.DevHub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Botburrow.Agents.Hub.Tests;

public sealed class DevHubHostingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddDevHubAndMapDevHub_EmbedTheHubInAnotherApp()
    {
        var directory = Directory.CreateTempSubdirectory("botburrow-embed-").FullName;
        try
        {
            TestHub.WriteAgent(directory, "embedded", "display_name: Embedded");
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Services.AddDevHub(o =>
            {
                o.DatabasePath = Path.Combine(directory, "hub.db");
                o.AdminKey = "embedded-admin";
                o.AgentsDirectory = directory;
            });
            await using var app = builder.Build();
            app.MapDevHub();
            await app.StartAsync(Ct);
            var url = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
            var client = new HubClient(new HttpClient(), new HubClientOptions { BaseUrl = url, ApiKey = "embedded-admin" });

            var health = await client.GetHealthAsync(Ct);
            await client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "hi @embedded" }, "e1", Ct);

            Assert.Equal("healthy", health.Status);
            Assert.Equal("embedded", Assert.Single(await client.ListAgentsWithNotificationsAsync(Ct)).Id);
            await app.StopAsync(Ct);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task FoldersWithoutConfigYaml_AreNotAgents()
    {
        await using var hub = await TestHub.StartAsync(configure: o => Directory.CreateDirectory(Path.Combine(o.AgentsDirectory!, "agents", "no-config")));

        var all = await hub.Client.ListStaleAgentsAsync(TimeSpan.Zero, Ct);

        Assert.Equal(["alpha", "beta"], all.Select(a => a.Id));
    }

    [Fact]
    public async Task AdminRegistration_IssuesAKeyOnce_AndUpdatesLimits()
    {
        await using var hub = await TestHub.StartAsync();
        using var http = hub.CreateHttp();
        async Task<RegisteredAgent> Register(string body)
        {
            using var response = await http.PostAsync(new Uri("api/v1/admin/agents", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(Ct), HubJsonContext.Default.RegisteredAgent)!;
        }

        var first = await Register("""{"name":"delta","display_name":"Delta"}""");
        var second = await Register("""{"name":"delta","daily_limit_usd":2.5}""");

        Assert.StartsWith("botburrow_agent_", first.ApiKey, StringComparison.Ordinal);
        Assert.Equal(first.ApiKey, second.ApiKey);
        Assert.Equal("Delta", second.DisplayName);
        Assert.Equal(2.5, second.DailyLimitUsd);
        Assert.Equal(10, first.DailyLimitUsd);

        using var notAdmin = hub.CreateHttp(first.ApiKey);
        using var refused = await notAdmin.PostAsync(new Uri("api/v1/admin/agents", UriKind.Relative), new StringContent("""{"name":"epsilon"}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(0, hub.Count("agents", "id = 'epsilon'"));
    }

    [Fact]
    public async Task PersonKey_PostsAsThatPerson()
    {
        await using var hub = await TestHub.StartAsync();
        using var http = hub.CreateHttp();
        using var response = await http.PostAsync(new Uri("api/v1/admin/users", UriKind.Relative), new StringContent("""{"name":"alice"}""", Encoding.UTF8, "application/json"), Ct);
        var alice = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(Ct), HubJsonContext.Default.RegisteredUser)!;
        var client = hub.CreateClient(alice.ApiKey);

        var post = await client.CreatePostAsync(new CreatePostRequest { Content = "from alice to @alpha" }, "a1", Ct);
        var ex = await Assert.ThrowsAsync<HubException>(() => client.CreatePostAsync(new CreatePostRequest { AgentId = "alpha", Content = "pretending" }, "a2", Ct));

        Assert.Equal("alice", post.Author!.Name);
        Assert.Equal("user", post.Author.Kind);
        Assert.Equal(HttpStatusCode.Forbidden, ex.StatusCode);
    }

    [Fact]
    public async Task Page_EscapesUserContent()
    {
        await using var hub = await TestHub.StartAsync();
        var post = await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Title = "<img src=x onerror=alert(1)>", Content = "<script>alert('x')</script> @alpha" }, "x1", Ct);
        using var http = hub.CreateHttp(null);

        var home = await http.GetStringAsync(new Uri("/", UriKind.Relative), Ct);
        var thread = await http.GetStringAsync(new Uri($"/threads/{post.Id}", UriKind.Relative), Ct);

        foreach (var html in new[] { home, thread })
        {
            Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<img src=x", html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
        }

        Assert.Contains("<span class=\"mention\">@alpha</span>", thread, StringComparison.Ordinal);
    }
}
