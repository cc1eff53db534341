using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Botburrow.Agents.Hub.Tests;

/// <summary>The client's own rules, against a loopback fake that misbehaves on purpose.</summary>
public sealed class ClientBehaviourTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task Json(HttpContext context, string body, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    }

    [Fact]
    public async Task Get_FailingWith503First_IsRetriedAndSucceeds()
    {
        await using var fake = await FakeHub.StartAsync((context, n) => n == 1 ? Json(context, "{}", 503) : Json(context, """{"status":"healthy"}"""));

        var health = await fake.CreateClient().GetHealthAsync(Ct);

        Assert.Equal("healthy", health.Status);
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task Write_FailingWith500First_IsRetriedWithTheSameIdempotencyKey()
    {
        await using var fake = await FakeHub.StartAsync((context, n) => n == 1 ? Json(context, "{}", 500) : Json(context, """{"id":"7","created_at":"2026-01-01T00:00:00Z"}""", 201));

        var created = await fake.CreateClient().CreatePostAsync(new CreatePostRequest { AgentId = "alpha", Content = "x" }, "key-1", Ct);

        Assert.Equal("7", created.Id);
        Assert.Equal(["POST /api/v1/posts key=key-1 auth=Bearer fake-key", "POST /api/v1/posts key=key-1 auth=Bearer fake-key"], fake.Requests);
    }

    [Fact]
    public async Task ClientErrors_AreNotRetried()
    {
        await using var fake = await FakeHub.StartAsync((context, _) => Json(context, """{"title":"Invalid request","detail":"content: content is required"}""", 400));

        var ex = await Assert.ThrowsAsync<HubException>(() => fake.CreateClient().CreatePostAsync(new CreatePostRequest { AgentId = "alpha", Content = "" }, "key-2", Ct));

        Assert.Equal("Hub answered 400 Bad Request for POST /api/v1/posts: content: content is required", ex.Message);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task PersistentServerErrors_StopAfterMaxAttempts()
    {
        await using var fake = await FakeHub.StartAsync((context, _) => Json(context, "{}", 502));

        var ex = await Assert.ThrowsAsync<HubException>(() => fake.CreateClient(o => o.MaxAttempts = 3).ListAgentsWithNotificationsAsync(Ct));

        Assert.True(ex.IsTransient);
        Assert.StartsWith("Hub answered 502 Bad Gateway for GET /api/v1/agents", ex.Message, StringComparison.Ordinal);
        Assert.Equal(3, fake.Requests.Count);
    }

    [Fact]
    public async Task Forbidden_NamesTheEndpoint()
    {
        await using var fake = await FakeHub.StartAsync((context, _) => Json(context, "{}", 403));

        var ex = await Assert.ThrowsAsync<HubException>(() => fake.CreateClient().GetBudgetHealthAsync("alpha", Ct));

        Assert.Equal("Hub answered 403 Forbidden for GET /api/v1/system/budget-health (HUB_API_KEY lacks access)", ex.Message);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task UnknownNotificationTypesAndExtraFields_AreSkipped_NotFatal()
    {
        const string body = """
            {"notifications":[
              {"id":"1","type":"follow_request","created_at":"2026-01-01T00:00:00Z"},
              {"id":"2","type":"mention","post_id":"9","from_agent":{"id":"bob","name":"bob","avatar":"x"},"created_at":"2026-01-01T00:00:01Z","shiny":{"new":true}},
              {"id":"3","type":"reply","created_at":"not a date"},
              {"id":"4","type":"thread_update","created_at":"2026-01-01T00:00:02Z"}
            ],"cursor":"abc"}
            """;
        await using var fake = await FakeHub.StartAsync((context, _) => Json(context, body));

        var notifications = await fake.CreateClient().ListNotificationsAsync("alpha", cancellationToken: Ct);

        Assert.Equal(["2", "4"], notifications.Select(n => n.Id));
        Assert.Equal(HubNotificationType.Mention, notifications[0].KnownType);
        Assert.Equal("bob", notifications[0].FromAgent!.Name);
        Assert.Equal(HubNotificationType.ThreadUpdate, notifications[1].KnownType);
    }

    [Fact]
    public async Task Poll_On404_ReportsNotAvailable()
    {
        await using var fake = await FakeHub.StartAsync((context, _) => Json(context, "{}", 404));

        var result = await fake.CreateClient().PollAsync(TimeSpan.FromSeconds(1), 10, Ct);

        Assert.Equal(HubPollStatus.NotAvailable, result.Status);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task Poll_WhenTheHubDoesNotAnswerInTime_MeansNoWork()
    {
        await using var fake = await FakeHub.StartAsync(async (context, _) => await Task.Delay(Timeout.Infinite, context.RequestAborted));

        var result = await fake.CreateClient(o => o.PollGrace = TimeSpan.FromMilliseconds(200)).PollAsync(TimeSpan.Zero, 10, Ct);

        Assert.Equal(HubPollStatus.TimedOut, result.Status);
        Assert.Empty(result.Agents);
    }

    [Fact]
    public async Task RequestTimeout_IsTransientAndNamesTheEndpoint()
    {
        await using var fake = await FakeHub.StartAsync(async (context, _) => await Task.Delay(Timeout.Infinite, context.RequestAborted));

        var ex = await Assert.ThrowsAsync<HubException>(() => fake.CreateClient(o => { o.RequestTimeout = TimeSpan.FromMilliseconds(200); o.MaxAttempts = 2; }).GetHealthAsync(Ct));

        Assert.Equal("Hub did not answer within 0.2 s at GET /api/v1/health", ex.Message);
        Assert.Null(ex.StatusCode);
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task Unreachable_IsTransientAndNamesTheEndpoint()
    {
        var port = Botburrow.Agents.Testing.FreePort.Next();
        var client = new HubClient(new HttpClient(), new HubClientOptions { BaseUrl = new Uri($"http://127.0.0.1:{port}/"), MaxAttempts = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(5) });

        var ex = await Assert.ThrowsAsync<HubException>(() => client.GetHealthAsync(Ct));

        Assert.True(ex.IsTransient);
        Assert.StartsWith("Hub unreachable at GET /api/v1/health", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BaseUrlWithAPathPrefix_KeepsThePrefix()
    {
        await using var fake = await FakeHub.StartAsync((context, _) => Json(context, """{"status":"healthy"}"""));
        var client = new HubClient(new HttpClient(), new HubClientOptions { BaseUrl = new Uri(fake.Url, "hub") });

        await client.GetHealthAsync(Ct);

        Assert.StartsWith("GET /hub/api/v1/health ", Assert.Single(fake.Requests), StringComparison.Ordinal);
    }

    [Fact]
    public void IdempotencyKey_IsDerivedFromAgentSubjectAndKind()
    {
        var key = HubIdempotencyKey.For("alpha", "n-17", "reply");

        Assert.Equal(key, HubIdempotencyKey.For("alpha", "n-17", "reply"));
        Assert.NotEqual(key, HubIdempotencyKey.For("alpha", "n-17", "read"));
        Assert.NotEqual(key, HubIdempotencyKey.For("alpha", "n-18", "reply"));
        Assert.NotEqual(HubIdempotencyKey.For("a|b", "c", "d"), HubIdempotencyKey.For("a", "b|c", "d"));
        Assert.StartsWith("bb1-", key, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddHubClient_RegistersAWorkingClient()
    {
        await using var fake = await FakeHub.StartAsync((context, _) => Json(context, """{"status":"healthy","extra":1}"""));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHubClient(o => { o.BaseUrl = fake.Url; o.ApiKey = "di-key"; });
        await using var provider = services.BuildServiceProvider();

        var health = await provider.GetRequiredService<IHubClient>().GetHealthAsync(Ct);

        Assert.Equal("healthy", health.Status);
        Assert.EndsWith("auth=Bearer di-key", Assert.Single(fake.Requests), StringComparison.Ordinal);
    }
}
