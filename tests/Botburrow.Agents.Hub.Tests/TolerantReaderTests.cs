using System.Net;
using Botburrow.Agents.Testing;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace Botburrow.Agents.Hub.Tests;

/// <summary>
/// The client against Hubs that send only what the original client contract reads, or odd but usable answers:
/// it requires only what it uses, and a write the Hub accepted (2xx) never becomes an error.
/// </summary>
public sealed class TolerantReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task Json(HttpContext context, string body, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    }

    private static HubClient Client(MinimalHub hub) => HubClient.Create(new HubClientOptions { BaseUrl = hub.Url, ApiKey = "any", RetryBaseDelay = TimeSpan.FromMilliseconds(5) });

    [Fact]
    public async Task MinimalHub_EveryCallTheFleetMakes_Works()
    {
        await using var hub = await MinimalHub.StartAsync(["alpha"], Ct);
        var client = Client(hub);
        var postId = hub.Mention("alice", "alpha", "hello there");

        var poll = await client.PollAsync(TimeSpan.FromSeconds(5), 10, Ct);
        var notification = Assert.Single(await client.ListNotificationsAsync("alpha", cancellationToken: Ct));
        var thread = await client.GetPostAsync(notification.PostId!, includeComments: true, Ct);
        var budget = await client.GetBudgetHealthAsync("alpha", Ct);
        var created = await client.CreateCommentAsync(postId, new CreateCommentRequest { AgentId = "alpha", Content = "hi alice" }, "k-1", Ct);
        var marked = await client.MarkReadAsync([notification.Id], "k-2", Ct);
        var activated = await client.MarkActivatedAsync("alpha", "k-3", Ct);
        var consumption = await client.ReportConsumptionAsync(new ConsumptionReport { AgentId = "alpha", TokensInput = 5 }, "k-4", Ct);

        Assert.Equal("alpha", Assert.Single(poll.Agents).Id);
        Assert.Equal(HubNotificationType.Mention, notification.KnownType);
        Assert.Equal("alice", notification.FromAgent!.Name);
        Assert.Equal("@alpha hello there", thread.Content);
        Assert.True(budget.Healthy);
        Assert.Equal(0, budget.DailyLimit);
        Assert.Equal("c-1", created.Id);
        Assert.NotNull(created.CreatedAt);
        Assert.Equal("alpha", created.Author!.Name);
        Assert.Null(marked.Marked);
        Assert.Null(activated.Status);
        Assert.Null(consumption.Status);
        Assert.Equal(["hi alice"], hub.CommentsBy(postId, "alpha"));
        Assert.Equal(0, hub.UnreadNotifications("alpha"));
        Assert.NotNull(hub.LastActivated("alpha"));
        Assert.Empty(await client.ListAgentsWithNotificationsAsync(Ct));
        Assert.Equal("alpha", Assert.Single(await client.ListStaleAgentsAsync(TimeSpan.Zero, Ct)).Name);
    }

    [Theory]
    [InlineData("""{"id": 17}""", "17")]
    [InlineData("""{"id": "c-1", "created_at": null, "author": null, "extra": [1, 2]}""", "c-1")]
    [InlineData("""{"id": "c-2", "created_at": "not a time", "author": {"name": "x"}}""", "c-2")]
    public async Task CreatedItem_NeedsOnlyItsId(string body, string id)
    {
        await using var fake = await FakeHub.StartAsync((context, _) => Json(context, body, 201));

        var created = await fake.CreateClient().CreatePostAsync(new CreatePostRequest { AgentId = "alpha", Content = "x" }, "k", Ct);

        Assert.Equal(id, created.Id);
        Assert.Single(fake.Requests);
    }

    [Theory]
    [InlineData(200, "{}")]
    [InlineData(201, "not json at all")]
    [InlineData(204, "")]
    public async Task CreatedItem_WithoutAnId_IsStillASuccessfulWrite(int status, string body)
    {
        await using var fake = await FakeHub.StartAsync((context, _) => status == 204 ? SetStatus(context, 204) : Json(context, body, status));

        var created = await fake.CreateClient().CreateCommentAsync("9", new CreateCommentRequest { AgentId = "alpha", Content = "x" }, "k", Ct);

        Assert.Equal("", created.Id);
        Assert.Single(fake.Requests);
    }

    [Theory]
    [InlineData("""{"ok": true}""")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("""{"marked": "many", "status": 5}""")]
    public async Task Acknowledgements_RequireNothing(string body)
    {
        await using var fake = await FakeHub.StartAsync((context, _) => Json(context, body));
        var client = fake.CreateClient();

        await client.MarkReadAsync(["1"], "k-1", Ct);
        await client.MarkActivatedAsync("alpha", "k-2", Ct);
        await client.ReportConsumptionAsync(new ConsumptionReport { AgentId = "alpha" }, "k-3", Ct);

        Assert.Equal(3, fake.Requests.Count);
    }

    [Theory]
    [InlineData("""{}""", true, 0)]
    [InlineData("""{"tools": {"anthropic": {"status": "ok"}}, "collective": {}}""", true, 0)]
    [InlineData("""{"healthy": null, "daily_limit": "5", "daily_used": null}""", true, 5)]
    [InlineData("""{"healthy": "maybe", "daily_limit": {"usd": 5}}""", true, 0)]
    [InlineData("""[1, 2]""", true, 0)]
    [InlineData("""{"healthy": false, "daily_limit": 5, "daily_used": 6}""", false, 5)]
    public async Task BudgetHealth_AnAnswerItCannotRead_IsHealthyWithZeros(string body, bool healthy, double dailyLimit)
    {
        await using var fake = await FakeHub.StartAsync((context, _) => Json(context, body));

        var budget = await fake.CreateClient().GetBudgetHealthAsync("alpha", Ct);

        Assert.Equal(healthy, budget.Healthy);
        Assert.Equal(dailyLimit, budget.DailyLimit);
    }

    [Fact]
    public async Task Read_MissingARequiredField_NamesTheEndpointAndTheField()
    {
        await using var fake = await FakeHub.StartAsync((context, _) => Json(context, """{"id":"9","content":"x","created_at":"2026-01-01T00:00:00Z"}"""));

        var ex = await Assert.ThrowsAsync<HubException>(() => fake.CreateClient().GetPostAsync("9", cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.False(ex.IsTransient);
        Assert.StartsWith("Hub sent an answer this client cannot read at GET /api/v1/posts/9: missing required field 'author'", ex.Message, StringComparison.Ordinal);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task Authors_WithOnlyANameOrOnlyAnId_AreRead()
    {
        const string body = """
            {"notifications":[
              {"id":"n-1","type":"mention","post_id":"p-1","from_agent":{"name":"alice"},"created_at":"2026-01-01T00:00:00Z","read":null},
              {"id":"n-2","type":"reply","post_id":"p-1","from_agent":{"id":"bob"},"created_at":"2026-01-01T00:00:01Z"}
            ]}
            """;
        await using var fake = await FakeHub.StartAsync((context, _) => Json(context, body));

        var notifications = await fake.CreateClient().ListNotificationsAsync("alpha", cancellationToken: Ct);

        Assert.Equal(["alice", "bob"], notifications.Select(n => n.FromAgent!.Id));
        Assert.Equal(["alice", "bob"], notifications.Select(n => n.FromAgent!.Name));
    }

    [Fact]
    public async Task PolledAgents_WithoutAName_UseTheirId()
    {
        await using var fake = await FakeHub.StartAsync((context, _) => Json(context, """{"agents":[{"id":"alpha","notification_count":null}]}"""));

        var result = await fake.CreateClient().PollAsync(TimeSpan.FromSeconds(1), 10, Ct);

        Assert.Equal("alpha", Assert.Single(result.Agents).Name);
    }

    private static Task SetStatus(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
