using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Botburrow.Agents.Hub.Tests;

/// <summary>Transient failures through the resilience handler: which are retried, how long it waits, what it counts.</summary>
public sealed class ClientResilienceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task Json(HttpContext context, string body, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body);
    }

    private static double Retries(string endpoint, string reason) => HubMetrics.Retries.WithLabels(endpoint, reason).Value;

    [Fact]
    public async Task TooManyRequests_IsRetriedAfterRetryAfter_AndCounted()
    {
        var times = new List<TimeSpan>();
        var clock = Stopwatch.StartNew();
        await using var fake = await FakeHub.StartAsync((context, n) =>
        {
            lock (times)
            {
                times.Add(clock.Elapsed);
            }

            if (n == 1)
            {
                context.Response.Headers.RetryAfter = "1";
                return Json(context, """{"title":"slow down"}""", 429);
            }

            return Json(context, """{"id":"c-9","created_at":"2026-01-01T00:00:00Z"}""", 201);
        });
        var before = Retries("POST /api/v1/posts/{id}/comments", "429");

        var created = await fake.CreateClient().CreateCommentAsync("p-1", new CreateCommentRequest { AgentId = "alpha", Content = "hi" }, "key-429", Ct);

        Assert.Equal("c-9", created.Id);
        Assert.Equal(["POST /api/v1/posts/p-1/comments key=key-429 auth=Bearer fake-key", "POST /api/v1/posts/p-1/comments key=key-429 auth=Bearer fake-key"], fake.Requests);
        Assert.True(times[1] - times[0] >= TimeSpan.FromMilliseconds(900), $"retried after {(times[1] - times[0]).TotalMilliseconds} ms, before the 1 s the Hub asked for");
        Assert.Equal(before + 1, Retries("POST /api/v1/posts/{id}/comments", "429"));
    }

    [Fact]
    public async Task RetryAfter_LongerThanMaxRetryAfter_IsCut()
    {
        await using var fake = await FakeHub.StartAsync((context, n) =>
        {
            if (n == 1)
            {
                context.Response.Headers.RetryAfter = "3600";
                return Json(context, "{}", 503);
            }

            return Json(context, """{"agents":[]}""");
        });
        var clock = Stopwatch.StartNew();

        var agents = await fake.CreateClient(o => o.MaxRetryAfter = TimeSpan.FromMilliseconds(100)).ListAgentsWithNotificationsAsync(Ct);

        Assert.Empty(agents);
        Assert.Equal(2, fake.Requests.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"waited {clock.Elapsed}");
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task TransientStatus_IsRetried(int status)
    {
        await using var fake = await FakeHub.StartAsync((context, n) => n == 1 ? Json(context, "{}", status) : Json(context, """{"status":"healthy"}"""));
        var before = Retries("GET /api/v1/health", status.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var health = await fake.CreateClient().GetHealthAsync(Ct);

        Assert.Equal("healthy", health.Status);
        Assert.Equal(2, fake.Requests.Count);
        Assert.Equal(before + 1, Retries("GET /api/v1/health", status.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task PersistentRateLimit_EndsAsATransientHubExceptionNamingTheEndpoint()
    {
        await using var fake = await FakeHub.StartAsync((context, _) => Json(context, """{"detail":"too many"}""", 429));

        var ex = await Assert.ThrowsAsync<HubException>(() => fake.CreateClient(o => o.MaxAttempts = 2).GetPostAsync("9", cancellationToken: Ct));

        Assert.Equal(HttpStatusCode.TooManyRequests, ex.StatusCode);
        Assert.True(ex.IsTransient);
        Assert.Equal("Hub answered 429 Too Many Requests for GET /api/v1/posts/9: too many", ex.Message);
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task LongPoll_IsNeverRetried()
    {
        await using var fake = await FakeHub.StartAsync((context, _) => Json(context, "{}", 503));

        var ex = await Assert.ThrowsAsync<HubException>(() => fake.CreateClient().PollAsync(TimeSpan.FromSeconds(1), 10, Ct));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task LongPoll_HasItsOwnAttemptTimeout_LongerThanRequestTimeout()
    {
        await using var fake = await FakeHub.StartAsync(async (context, _) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(600), context.RequestAborted);
            await Json(context, """{"agents":[{"id":"alpha","name":"alpha"}]}""");
        });

        // Each ordinary attempt may last 100 ms; the poll's lasts its 1 s wait plus the grace.
        var result = await fake.CreateClient(o => { o.RequestTimeout = TimeSpan.FromMilliseconds(100); o.PollGrace = TimeSpan.FromSeconds(1); }).PollAsync(TimeSpan.FromSeconds(1), 10, Ct);

        Assert.Equal(HubPollStatus.Answered, result.Status);
        Assert.Equal("alpha", Assert.Single(result.Agents).Id);
    }

    [Fact]
    public async Task AddHubClient_RetriesThroughTheResilienceHandler()
    {
        await using var fake = await FakeHub.StartAsync((context, n) => n == 1 ? Json(context, "{}", 503) : Json(context, """{"status":"healthy"}"""));
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHubClient(o => { o.BaseUrl = fake.Url; o.ApiKey = "di-key"; o.RetryBaseDelay = TimeSpan.FromMilliseconds(5); });
        await using var provider = services.BuildServiceProvider();

        var health = await provider.GetRequiredService<IHubClient>().GetHealthAsync(Ct);

        Assert.Equal("healthy", health.Status);
        Assert.Equal(2, fake.Requests.Count);
    }
}
