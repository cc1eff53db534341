using System.Net;
using Xunit;

namespace Botburrow.Agents.Hub.Tests;

/// <summary>The client against the dev Hub over real HTTP on loopback: every endpoint of the contract.</summary>
public sealed class HubContractTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Key() => Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Health_ReportsHealthy()
    {
        await using var hub = await TestHub.StartAsync();

        var health = await hub.Client.GetHealthAsync(Ct);

        Assert.Equal("healthy", health.Status);
    }

    [Fact]
    public async Task Agents_AreRegisteredFromTheDefinitionsFolder_WithDisplayNames()
    {
        await using var hub = await TestHub.StartAsync();
        using var http = hub.CreateHttp(null);

        var body = await http.GetStringAsync(new Uri("api/v1/agents", UriKind.Relative), Ct);

        Assert.Contains("\"id\":\"alpha\"", body, StringComparison.Ordinal);
        Assert.Contains("\"display_name\":\"Alpha Agent\"", body, StringComparison.Ordinal);
        Assert.Contains("\"display_name\":\"Beta\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Mention_InPost_CreatesMentionNotification_ButNotForTheAuthorItself()
    {
        await using var hub = await TestHub.StartAsync();

        var post = await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "Hello @alpha and @beta and @nobody", Community = "m/general", Title = "Hi" }, Key(), Ct);
        await hub.Client.CreatePostAsync(new CreatePostRequest { AgentId = "alpha", Content = "Talking to myself, @alpha" }, Key(), Ct);

        var alpha = await hub.Client.ListNotificationsAsync("alpha", unreadOnly: true, cancellationToken: Ct);
        var beta = await hub.Client.ListNotificationsAsync("beta", unreadOnly: true, cancellationToken: Ct);
        var notification = Assert.Single(alpha);
        Assert.Equal(HubNotificationType.Mention, notification.KnownType);
        Assert.Equal(post.Id, notification.PostId);
        Assert.Equal("alice", notification.FromAgent!.Name);
        Assert.Contains("Hello @alpha", notification.Content, StringComparison.Ordinal);
        Assert.Single(beta);
    }

    [Fact]
    public async Task Reply_ToAgentsComment_CreatesReply_AndMarkReadClearsIt()
    {
        await using var hub = await TestHub.StartAsync();
        var post = await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "A question for everyone" }, Key(), Ct);
        var agentComment = await hub.Client.CreateCommentAsync(post.Id, new CreateCommentRequest { AgentId = "alpha", Content = "My answer" }, Key(), Ct);

        var reply = await hub.Client.CreateCommentAsync(agentComment.Id, new CreateCommentRequest { User = "bob", Content = "Thanks!" }, Key(), Ct);

        var notification = Assert.Single(await hub.Client.ListNotificationsAsync("alpha", cancellationToken: Ct));
        Assert.Equal(HubNotificationTypes.Reply, notification.Type);
        Assert.Equal(reply.Id, notification.PostId);
        Assert.Equal(post.Id, notification.ThreadId);

        var marked = await hub.Client.MarkReadAsync([notification.Id], Key(), Ct);

        Assert.Equal(1, marked.Marked);
        Assert.Empty(await hub.Client.ListNotificationsAsync("alpha", unreadOnly: true, cancellationToken: Ct));
        var all = Assert.Single(await hub.Client.ListNotificationsAsync("alpha", unreadOnly: false, cancellationToken: Ct));
        Assert.True(all.Read);
    }

    [Fact]
    public async Task DirectMessage_CreatesDmNotification()
    {
        await using var hub = await TestHub.StartAsync();

        await hub.Client.SendDirectMessageAsync(new DirectMessageRequest { ToAgentId = "beta", User = "carol", Content = "psst" }, Key(), Ct);

        var notification = Assert.Single(await hub.Client.ListNotificationsAsync("beta", cancellationToken: Ct));
        Assert.Equal(HubNotificationType.Dm, notification.KnownType);
        Assert.Equal("psst", notification.Content);
        Assert.Null(notification.PostId);
    }

    [Fact]
    public async Task GetPost_WithComments_ReturnsTheWholeThread()
    {
        await using var hub = await TestHub.StartAsync();
        var post = await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Title = "Root", Content = "root text", Community = "m/dev" }, Key(), Ct);
        var first = await hub.Client.CreateCommentAsync(post.Id, new CreateCommentRequest { AgentId = "alpha", Content = "first" }, Key(), Ct);
        await hub.Client.CreateCommentAsync(first.Id, new CreateCommentRequest { AgentId = "beta", Content = "second" }, Key(), Ct);

        var bare = await hub.Client.GetPostAsync(post.Id, cancellationToken: Ct);
        var thread = await hub.Client.GetPostAsync(first.Id, includeComments: true, Ct);

        Assert.Null(bare.Comments);
        Assert.Equal("Root", bare.Title);
        Assert.Equal("m/dev", bare.Community);
        Assert.Equal(post.Id, thread.Id);
        Assert.Collection(
            thread.Comments!,
            c => { Assert.Equal("first", c.Content); Assert.Equal(post.Id, c.ParentId); Assert.Equal("alpha", c.Author.Name); },
            c => { Assert.Equal("second", c.Content); Assert.Equal(first.Id, c.ParentId); });
    }

    [Fact]
    public async Task Search_FindsWords_AndFiltersByCommunityAndAuthor()
    {
        await using var hub = await TestHub.StartAsync();
        await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "Kubernetes operators are fun", Community = "m/ops" }, Key(), Ct);
        await hub.Client.CreatePostAsync(new CreatePostRequest { AgentId = "alpha", Content = "Writing kubernetes manifests", Community = "m/dev" }, Key(), Ct);
        await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "Nothing relevant here" }, Key(), Ct);

        var all = await hub.Client.SearchAsync(new HubSearchQuery { Query = "kubernetes" }, Ct);
        var ops = await hub.Client.SearchAsync(new HubSearchQuery { Query = "kubernetes", Community = "m/ops" }, Ct);
        var byAlpha = await hub.Client.SearchAsync(new HubSearchQuery { Query = "kubernetes", Author = "alpha" }, Ct);
        var quoted = await hub.Client.SearchAsync(new HubSearchQuery { Query = "operators\"(*" }, Ct);

        Assert.Equal(2, all.Count);
        Assert.Equal("m/ops", Assert.Single(ops).Community);
        Assert.Equal("alpha", Assert.Single(byAlpha).Author.Name);
        Assert.Single(quoted);
    }

    [Fact]
    public async Task Discover_FiltersCommunitiesAndKeywords_AndExcludesRespondedPosts()
    {
        await using var hub = await TestHub.StartAsync();
        var answered = await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "Rust or Go?", Community = "m/general" }, Key(), Ct);
        await hub.Client.CreateCommentAsync(answered.Id, new CreateCommentRequest { AgentId = "alpha", Content = "Both" }, Key(), Ct);
        var open = await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "Which Go web framework?", Community = "m/general" }, Key(), Ct);
        await hub.Client.CreatePostAsync(new CreatePostRequest { AgentId = "alpha", Content = "My own Go post", Community = "m/general" }, Key(), Ct);
        await hub.Client.CreatePostAsync(new CreatePostRequest { User = "bob", Content = "Go elsewhere", Community = "m/other" }, Key(), Ct);
        await hub.Client.CreatePostAsync(new CreatePostRequest { User = "bob", Content = "Cooking tips", Community = "m/general" }, Key(), Ct);

        var feed = await hub.Client.DiscoverAsync(new HubDiscoverQuery { AgentId = "alpha", Communities = ["m/general"], Keywords = ["go"], ExcludeResponded = true }, Ct);
        var everything = await hub.Client.DiscoverAsync(new HubDiscoverQuery { AgentId = "alpha", ExcludeResponded = false, Limit = 50 }, Ct);

        Assert.Equal(open.Id, Assert.Single(feed).Id);
        Assert.Equal(5, everything.Count);
    }

    [Fact]
    public async Task AgentsWithNotifications_ListsOnlyAgentsWithUnreadWork()
    {
        await using var hub = await TestHub.StartAsync();
        Assert.Empty(await hub.Client.ListAgentsWithNotificationsAsync(Ct));

        await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "ping @beta" }, Key(), Ct);
        await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "ping @beta again" }, Key(), Ct);

        var agent = Assert.Single(await hub.Client.ListAgentsWithNotificationsAsync(Ct));
        Assert.Equal("beta", agent.Id);
        Assert.Equal(2, agent.NotificationCount);
    }

    [Fact]
    public async Task StaleAgents_NeverActivatedFirst_AndActivationRecorded()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var hub = await TestHub.StartAsync(time);

        var before = await hub.Client.ListStaleAgentsAsync(TimeSpan.FromMinutes(10), Ct);
        Assert.Equal(["alpha", "beta"], before.Select(a => a.Id));
        Assert.All(before, a => Assert.Null(a.LastActivatedAt));

        var ack = await hub.Client.MarkActivatedAsync("alpha", Key(), Ct);
        Assert.Equal(time.GetUtcNow(), ack.LastActivatedAt);

        var fresh = await hub.Client.ListStaleAgentsAsync(TimeSpan.FromMinutes(10), Ct);
        Assert.Equal(["beta"], fresh.Select(a => a.Id));

        time.Advance(TimeSpan.FromMinutes(11));
        var later = await hub.Client.ListStaleAgentsAsync(TimeSpan.FromMinutes(10), Ct);
        Assert.Equal(["beta", "alpha"], later.Select(a => a.Id));
        Assert.Equal(ack.LastActivatedAt, later[1].LastActivatedAt);
        Assert.Equal(1, later[1].ActivationCount);
    }

    [Fact]
    public async Task BudgetHealth_SumsConsumptionPerUtcDayAndMonth_AgainstPerAgentLimits()
    {
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 3, 31, 23, 0, 0, TimeSpan.Zero));
        await using var hub = await TestHub.StartAsync(time, o => { o.DefaultDailyLimitUsd = 5; o.DefaultMonthlyLimitUsd = 50; });
        using var http = hub.CreateHttp();
        using var limits = await http.PostAsync(new Uri("api/v1/admin/agents", UriKind.Relative), new StringContent("""{"name":"alpha","daily_limit_usd":1.0,"monthly_limit_usd":3.0}""", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, limits.StatusCode);

        await hub.Client.ReportConsumptionAsync(new ConsumptionReport { AgentId = "alpha", TokensInput = 1000, TokensOutput = 500, CostUsd = 0.75 }, Key(), Ct);
        var healthy = await hub.Client.GetBudgetHealthAsync("alpha", Ct);
        Assert.Equal(1.0, healthy.DailyLimit);
        Assert.Equal(0.75, healthy.DailyUsed, 6);
        Assert.Equal(3.0, healthy.MonthlyLimit);
        Assert.True(healthy.Healthy);

        await hub.Client.ReportConsumptionAsync(new ConsumptionReport { AgentId = "alpha", CostUsd = 0.5 }, Key(), Ct);
        Assert.False((await hub.Client.GetBudgetHealthAsync("alpha", Ct)).Healthy);

        time.Advance(TimeSpan.FromHours(2)); // 2026-04-01 01:00 UTC: a new day and a new month
        var nextDay = await hub.Client.GetBudgetHealthAsync("alpha", Ct);
        Assert.Equal(0, nextDay.DailyUsed);
        Assert.Equal(0, nextDay.MonthlyUsed);
        Assert.True(nextDay.Healthy);

        var beta = await hub.Client.GetBudgetHealthAsync("beta", Ct);
        Assert.Equal(5, beta.DailyLimit);
        Assert.Equal(50, beta.MonthlyLimit);
    }

    [Fact]
    public async Task AgentKey_ActsOnlyAsItsAgent()
    {
        await using var hub = await TestHub.StartAsync();
        using var http = hub.CreateHttp();
        using var response = await http.PostAsync(new Uri("api/v1/admin/agents", UriKind.Relative), new StringContent("""{"name":"gamma"}""", System.Text.Encoding.UTF8, "application/json"), Ct);
        var registered = System.Text.Json.JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(Ct), HubJsonContext.Default.RegisteredAgent)!;
        var gamma = hub.CreateClient(registered.ApiKey);

        var post = await gamma.CreatePostAsync(new CreatePostRequest { Content = "I am gamma, hi @alpha" }, Key(), Ct);
        var forbidden = await Assert.ThrowsAsync<HubException>(() => gamma.CreatePostAsync(new CreatePostRequest { AgentId = "alpha", Content = "impersonating" }, Key(), Ct));

        Assert.Equal("gamma", post.Author!.Name);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.StartsWith("Hub answered 403 Forbidden for POST /api/v1/posts (HUB_API_KEY lacks access): agent_id:", forbidden.Message, StringComparison.Ordinal);
        Assert.Single(await hub.Client.ListNotificationsAsync("alpha", cancellationToken: Ct));
        Assert.Empty(await gamma.ListNotificationsAsync(null, cancellationToken: Ct));
    }

    [Fact]
    public async Task WrongKey_GivesAClearMessageNamingTheEndpoint()
    {
        await using var hub = await TestHub.StartAsync();
        var client = hub.CreateClient("not-a-key");

        var ex = await Assert.ThrowsAsync<HubException>(() => client.ListNotificationsAsync("alpha", cancellationToken: Ct));

        Assert.Equal("Hub answered 401 Unauthorized for GET /api/v1/notifications (HUB_API_KEY rejected)", ex.Message);
        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
    }

    [Fact]
    public async Task MissingPost_GivesA404MessageNamingTheEndpoint()
    {
        await using var hub = await TestHub.StartAsync();

        var ex = await Assert.ThrowsAsync<HubException>(() => hub.Client.GetPostAsync("999", cancellationToken: Ct));

        Assert.StartsWith("Hub answered 404 Not Found for GET /api/v1/posts/999", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnauthenticatedWrite_IsRefusedWith401_AndWritesNothing()
    {
        await using var hub = await TestHub.StartAsync();
        var anonymous = hub.CreateClient(null);

        var ex = await Assert.ThrowsAsync<HubException>(() => anonymous.CreatePostAsync(new CreatePostRequest { User = "mallory", Content = "spam" }, Key(), Ct));

        Assert.Equal("Hub answered 401 Unauthorized for POST /api/v1/posts (HUB_API_KEY rejected)", ex.Message);
        Assert.Equal(0, hub.Count("items"));
    }
}
