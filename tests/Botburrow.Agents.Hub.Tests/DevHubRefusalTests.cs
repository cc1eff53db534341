using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Botburrow.Agents.Hub.Tests;

/// <summary>The dev Hub tried as an outsider would: other callers' keys, others' notifications, oversized requests.</summary>
public sealed class DevHubRefusalTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<string> PersonKeyAsync(TestHub hub, string name)
    {
        using var response = await hub.CreateHttp().PostAsync(new Uri("api/v1/admin/users", UriKind.Relative), new StringContent($$"""{"name":"{{name}}"}""", Encoding.UTF8, "application/json"), Ct);
        response.EnsureSuccessStatusCode();
        return JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(Ct), HubJsonContext.Default.RegisteredUser)!.ApiKey;
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string field)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();
        Assert.Equal(field, problem.GetProperty("field").GetString());
        Assert.StartsWith(field + ": ", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        return problem;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PersonReplaysTheAgentsReplyKey_TheAgentsReplyIsStillPosted(bool personUsesTheAdminKey)
    {
        await using var hub = await TestHub.StartAsync();
        var personKey = await PersonKeyAsync(hub, "mallory");
        var person = personUsesTheAdminKey ? hub.Client : hub.CreateClient(personKey);
        var post = await person.CreatePostAsync(new CreatePostRequest { User = "mallory", Content = "hey @alpha" }, "post-1", Ct);
        var notification = Assert.Single(await hub.Client.ListNotificationsAsync("alpha", cancellationToken: Ct));

        // The runner's key for its reply is public knowledge: the person uses it first.
        var replyKey = HubIdempotencyKey.For("alpha", notification.Id, "reply");
        var squatted = await person.CreateCommentAsync(post.Id, new CreateCommentRequest { User = "mallory", Content = "I got here first" }, replyKey, Ct);
        var reply = await hub.Client.CreateCommentAsync(post.Id, new CreateCommentRequest { AgentId = "alpha", Content = "The agent's answer" }, replyKey, Ct);

        Assert.NotEqual(squatted.Id, reply.Id);
        var thread = await hub.Client.GetPostAsync(post.Id, includeComments: true, Ct);
        Assert.Equal(["mallory: I got here first", "alpha: The agent's answer"], thread.Comments!.Select(c => $"{c.Author.Name}: {c.Content}"));

        // And the runner's redelivery still replays its own answer.
        var again = await hub.Client.CreateCommentAsync(post.Id, new CreateCommentRequest { AgentId = "alpha", Content = "The agent's answer" }, replyKey, Ct);
        Assert.Equal(reply.Id, again.Id);
    }

    [Fact]
    public async Task KeyReusedByAnotherCaller_ForTheSameIdentity_Is409WithAProblem()
    {
        await using var hub = await TestHub.StartAsync();
        var personKey = await PersonKeyAsync(hub, "alice");
        await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "written by the admin as alice" }, "shared-key", Ct);
        using var alice = hub.CreateHttp(personKey);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("api/v1/posts", UriKind.Relative)) { Content = new StringContent("""{"content":"alice herself"}""", Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", "shared-key");

        using var response = await alice.SendAsync(request, Ct);

        await ProblemAsync(response, HttpStatusCode.Conflict, "Idempotency-Key");
        Assert.Equal(1, hub.Count("items"));
    }

    [Fact]
    public async Task Notifications_NeedTheAgentsKeyOrTheAdminKey()
    {
        await using var hub = await TestHub.StartAsync();
        await hub.Client.SendDirectMessageAsync(new DirectMessageRequest { User = "alice", ToAgentId = "alpha", Content = "a secret" }, "dm-1", Ct);
        var personKey = await PersonKeyAsync(hub, "eve");

        using var anonymous = await hub.CreateHttp(null).GetAsync(new Uri("api/v1/notifications", UriKind.Relative), Ct);
        using var person = await hub.CreateHttp(personKey).GetAsync(new Uri("api/v1/notifications?agent_id=alpha", UriKind.Relative), Ct);

        await ProblemAsync(anonymous, HttpStatusCode.Unauthorized, "Authorization");
        await ProblemAsync(person, HttpStatusCode.Forbidden, "Authorization");
        Assert.DoesNotContain("a secret", await anonymous.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal("a secret", Assert.Single(await hub.Client.ListNotificationsAsync("alpha", cancellationToken: Ct)).Content);
    }

    [Theory]
    [InlineData(1001)]
    [InlineData(40000)]
    public async Task MarkRead_TooManyIds_Is400NamingTheField(int count)
    {
        await using var hub = await TestHub.StartAsync();
        var ids = string.Join(',', Enumerable.Range(1, count).Select(i => $"\"{i}\""));

        using var response = await hub.CreateHttp().PostAsync(new Uri("api/v1/notifications/read", UriKind.Relative), new StringContent($$"""{"notification_ids":[{{ids}}]}""", Encoding.UTF8, "application/json"), Ct);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest, "notification_ids");
        Assert.Contains("at most 1000", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MarkRead_AThousandIds_Works()
    {
        await using var hub = await TestHub.StartAsync();

        var result = await hub.Client.MarkReadAsync([.. Enumerable.Range(1, 1000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))], "read-1000", Ct);

        Assert.Equal(0, result.Marked);
    }

    [Fact]
    public async Task HugeBody_Is413WithAProblemNamingTheBody()
    {
        await using var hub = await TestHub.StartAsync();
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(hub.Url.Host, hub.Url.Port, Ct);
        var stream = tcp.GetStream();
        var head = $"POST /api/v1/posts HTTP/1.1\r\nHost: {hub.Url.Authority}\r\nAuthorization: Bearer {TestHub.AdminKey}\r\nContent-Type: application/json\r\nContent-Length: {60 * 1024 * 1024}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head + "{\"content\":\"" + new string('x', 4096)), Ct);

        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync(Ct);

        Assert.StartsWith("HTTP/1.1 413", answer, StringComparison.Ordinal);
        Assert.Contains("application/problem+json", answer, StringComparison.Ordinal);
        Assert.Contains("\"field\":\"body\"", answer, StringComparison.Ordinal);
        Assert.Contains("larger than 1048576 bytes", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownEndpoint_IsAProblemNamingThePath()
    {
        await using var hub = await TestHub.StartAsync();

        using var response = await hub.CreateHttp().GetAsync(new Uri("api/v1/inbox", UriKind.Relative), Ct);

        await ProblemAsync(response, HttpStatusCode.NotFound, "path");
    }

    [Fact]
    public async Task WaitingLongPoll_EndsWhenTheHubStops()
    {
        await using var hub = await TestHub.StartAsync();
        var waiting = hub.Events.WhenLogged("hub_poll_waiting");
        var poll = hub.Client.PollAsync(TimeSpan.FromSeconds(60), 10, Ct);
        await waiting.WaitAsync(Botburrow.Agents.Testing.TestConstants.DefaultTimeout, Ct);

        var stop = System.Diagnostics.Stopwatch.StartNew();
        await hub.Server.StopAsync(Ct);

        var result = await poll;
        Assert.True(stop.Elapsed < TimeSpan.FromSeconds(1), $"stopping took {stop.Elapsed}");
        Assert.Equal(HubPollStatus.Answered, result.Status);
        Assert.Empty(result.Agents);
    }
}
