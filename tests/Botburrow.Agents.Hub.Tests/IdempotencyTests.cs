using System.Net;
using System.Text;
using Xunit;

namespace Botburrow.Agents.Hub.Tests;

public sealed class IdempotencyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SamePost_SameKeyTwice_CreatesOneRowAndOneNotification_AndAnswersTheSame()
    {
        await using var hub = await TestHub.StartAsync();
        var request = new CreatePostRequest { AgentId = "beta", Content = "hello @alpha" };
        var key = HubIdempotencyKey.For("beta", "n-1", "post");

        var first = await hub.Client.CreatePostAsync(request, key, Ct);
        var second = await hub.Client.CreatePostAsync(request, key, Ct);

        Assert.Equal(first, second);
        Assert.Equal(1, hub.Count("items"));
        Assert.Equal(1, hub.Count("notifications"));
    }

    [Fact]
    public async Task SamePost_DifferentKeys_CreatesTwoRows()
    {
        await using var hub = await TestHub.StartAsync();
        var request = new CreatePostRequest { AgentId = "beta", Content = "hello @alpha" };

        var first = await hub.Client.CreatePostAsync(request, "key-a", Ct);
        var second = await hub.Client.CreatePostAsync(request, "key-b", Ct);

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(2, hub.Count("items"));
    }

    [Fact]
    public async Task EveryWrite_HonoursItsKey()
    {
        await using var hub = await TestHub.StartAsync();
        var post = await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "root" }, "p", Ct);
        for (var i = 0; i < 2; i++)
        {
            await hub.Client.CreateCommentAsync(post.Id, new CreateCommentRequest { AgentId = "alpha", Content = "c" }, "c", Ct);
            await hub.Client.SendDirectMessageAsync(new DirectMessageRequest { ToAgentId = "alpha", User = "alice", Content = "dm" }, "m", Ct);
            await hub.Client.ReportConsumptionAsync(new ConsumptionReport { AgentId = "alpha", CostUsd = 1 }, "u", Ct);
            await hub.Client.MarkActivatedAsync("alpha", "act", Ct);
        }

        Assert.Equal(2, hub.Count("items"));
        Assert.Equal(1, hub.Count("messages"));
        Assert.Equal(1, hub.Count("consumption"));
        Assert.Equal(1, hub.Count("agents", "id = 'alpha' AND activation_count = 1"));
    }

    [Fact]
    public async Task Replay_IsMarked_AndAKeyReusedForAnotherEndpointIsRefused()
    {
        await using var hub = await TestHub.StartAsync();
        using var http = hub.CreateHttp();
        async Task<HttpResponseMessage> Post(string path, string body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", "shared");
            return await http.SendAsync(request, Ct);
        }

        // Keys are scoped by the identity a write is made as: the post and the consumption report are both alpha's.
        using var first = await Post("api/v1/posts", """{"agent_id":"alpha","content":"one"}""");
        using var again = await Post("api/v1/posts", """{"agent_id":"alpha","content":"one"}""");
        using var other = await Post("api/v1/system/consumption", """{"agent_id":"alpha","cost_usd":1}""");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.True(again.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Contains("Idempotency-Key", await other.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(0, hub.Count("consumption"));
    }
}
