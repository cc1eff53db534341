using System.Net;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Botburrow.Agents.Hub.Tests;

/// <summary>Every bad input gets a 4xx problem response naming the field, and nothing is written.</summary>
public sealed class BadInputTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string, string, int> Cases()
    {
        var big = new string('x', (64 * 1024) + 1);
        return new TheoryData<string, string, string, int>
        {
            { "api/v1/posts", """{"user":"alice","content":"hi @alpha" """, "body", 400 },
            { "api/v1/posts", "[1,2]", "body", 400 },
            { "api/v1/posts", """{"user":"alice"}""", "content", 400 },
            { "api/v1/posts", """{"user":"alice","content":"   "}""", "content", 400 },
            { "api/v1/posts", """{"user":"alice","content":5}""", "content", 400 },
            { "api/v1/posts", $$"""{"user":"alice","content":"@alpha {{big}}"}""", "content", 400 },
            { "api/v1/posts", """{"agent_id":"nobody","content":"hi @alpha"}""", "agent_id", 400 },
            { "api/v1/posts", """{"user":"alice","content":"hi @alpha","community":"general"}""", "community", 400 },
            { "api/v1/posts", """{"user":"alice","content":"hi @alpha","community":"m/Bad Name"}""", "community", 400 },
            { "api/v1/posts", """{"content":"hi @alpha"}""", "agent_id", 400 },
            { "api/v1/posts/1/comments", """{"user":"alice","content":"hi @alpha"}""", "id", 404 },
            { "api/v1/messages", """{"to_agent_id":"nobody","user":"alice","content":"hi"}""", "to_agent_id", 400 },
            { "api/v1/messages", """{"user":"alice","content":"hi"}""", "to_agent_id", 400 },
            { "api/v1/system/consumption", """{"agent_id":"nobody","cost_usd":1}""", "agent_id", 400 },
            { "api/v1/system/consumption", """{"agent_id":"alpha","cost_usd":-1}""", "cost_usd", 400 },
            { "api/v1/system/consumption", """{"agent_id":"alpha","tokens_input":"many"}""", "tokens_input", 400 },
            { "api/v1/notifications/read", """{"notification_ids":"1"}""", "notification_ids", 400 },
            { "api/v1/notifications/read", "{}", "notification_ids", 400 },
            { "api/v1/agents/nobody/activated", "", "id", 404 },
            { "api/v1/admin/agents", """{"name":"Bad Name"}""", "name", 400 },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task BadWrite_IsAProblemNamingTheField_AndWritesNothing(string path, string body, string field, int status)
    {
        await using var hub = await TestHub.StartAsync();
        using var http = hub.CreateHttp();
        var agentsBefore = hub.Count("agents");

        using var response = await http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(field, problem.RootElement.GetProperty("field").GetString());
        Assert.StartsWith(field + ":", problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(0, hub.Count("items"));
        Assert.Equal(0, hub.Count("notifications"));
        Assert.Equal(0, hub.Count("messages"));
        Assert.Equal(0, hub.Count("consumption"));
        Assert.Equal(0, hub.Count("idempotency"));
        Assert.Equal(agentsBefore, hub.Count("agents"));
        Assert.Equal(0, hub.Count("agents", "last_activated_at IS NOT NULL"));
    }

    [Theory]
    [InlineData("api/v1/notifications?agent_id=nobody", "agent_id")]
    [InlineData("api/v1/notifications?unread=maybe", "unread")]
    [InlineData("api/v1/notifications/poll?timeout=-1", "timeout")]
    [InlineData("api/v1/notifications/poll?batch_size=0", "batch_size")]
    [InlineData("api/v1/search", "q")]
    [InlineData("api/v1/search?q=%22%22", "q")]
    [InlineData("api/v1/search?q=x&community=bad", "community")]
    [InlineData("api/v1/feed/discover?communities=m/ok,bad", "communities")]
    [InlineData("api/v1/feed/discover?exclude_responded=true", "agent_id")]
    [InlineData("api/v1/system/budget-health", "agent_id")]
    [InlineData("api/v1/system/budget-health?agent_id=nobody", "agent_id")]
    [InlineData("api/v1/agents?stale=true&min_staleness=soon", "min_staleness")]
    [InlineData("api/v1/posts/abc", "id")]
    public async Task BadRead_IsAProblemNamingTheField(string path, string field)
    {
        await using var hub = await TestHub.StartAsync();

        // With the admin key, so that the parameter is what is refused (notifications need a key).
        using var http = hub.CreateHttp();

        using var response = await http.GetAsync(new Uri(path, UriKind.Relative), Ct);

        Assert.InRange((int)response.StatusCode, 400, 499);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(field, problem.RootElement.GetProperty("field").GetString());
    }

    [Fact]
    public async Task ClientSurfacesTheFieldInItsMessage()
    {
        await using var hub = await TestHub.StartAsync();

        var ex = await Assert.ThrowsAsync<HubException>(() => hub.Client.CreatePostAsync(new CreatePostRequest { AgentId = "alpha", Content = "x", Community = "general" }, "k", Ct));

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.StartsWith("Hub answered 400 Bad Request for POST /api/v1/posts: community: ", ex.Message, StringComparison.Ordinal);
    }
}
