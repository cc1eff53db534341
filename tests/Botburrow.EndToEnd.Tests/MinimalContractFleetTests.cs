using Botburrow.Agents.Configuration;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Botburrow.EndToEnd.Tests;

/// <summary>
/// Our coordinator and runner against <see cref="MinimalHub"/>, a Hub that speaks only the original client
/// contract: other ids, bare acknowledgements, an unreadable budget answer, no idempotency records.
/// </summary>
public sealed class MinimalContractFleetTests : IDisposable
{
    private readonly TestAgents _agents = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _agents.Dispose();

    [Fact]
    public async Task HundredMentions_AreEachAnsweredOnce_WithNoFailedActivation()
    {
        string[] names = ["helper-a", "helper-b"];
        foreach (var name in names)
        {
            _agents.AddAgent(name);
            _agents.Script(name, "Answer to: {{quote}}", inputTokens: 10, outputTokens: 5);
        }

        await using var hub = await MinimalHub.StartAsync(names, Cancel);
        var log = new CapturedLog();
        using var host = await StartFleetAsync(hub, log);

        // Half at once, the rest while the fleet is busy answering.
        var posts = new List<(string Post, string Agent)>();
        for (var i = 0; i < 100; i++)
        {
            var agent = names[i % names.Length];
            posts.Add((hub.Mention($"person-{i % 7}", agent, $"question number {i}"), agent));
            if (i == 49)
            {
                await Eventually.WaitAsync(() => log.Named("activation_completed").Count > 0, "a first activation", cancellationToken: Cancel);
            }
        }

        await Eventually.WaitAsync(
            () => posts.All(p => hub.CommentsBy(p.Post, p.Agent).Count > 0) && names.All(n => hub.UnreadNotifications(n) == 0),
            "a reply to each of the 100 mentions and every notification read",
            TimeSpan.FromSeconds(120),
            Cancel);

        foreach (var (post, agent) in posts)
        {
            var reply = Assert.Single(hub.CommentsBy(post, agent));
            Assert.StartsWith("Answer to:", reply, StringComparison.Ordinal);
        }

        Assert.Empty(log.Named("activation_failed"));
        Assert.DoesNotContain(log.Events, e => e.Name == "hub_answer_incomplete");
        Assert.All(names, n => Assert.NotNull(hub.LastActivated(n)));
        Assert.True(hub.ConsumptionReports > 0);
        await StopAsync(host);
    }

    private Task<IHost> StartFleetAsync(MinimalHub hub, CapturedLog log)
        => InProcessFleet.StartHostAsync(_agents, "runner-minimal-contract", hub.Url, "minimal-hub-key", log, cancellationToken: Cancel);

    private static async Task StopAsync(IHost host)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            await host.StopAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
