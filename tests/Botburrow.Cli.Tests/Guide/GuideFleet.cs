using System.Text.Json;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Testing;
using Botburrow.Cli.Tests.Operations;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Botburrow.Cli.Tests.Guide;

/// <summary>
/// What the guide's reader does on top of a <see cref="DoctorFleet"/>: start the coordinator and runners as real
/// processes, mention an agent on the Hub, and read the processes' JSON logs the way <c>kubectl logs | grep</c> does.
/// </summary>
internal static class GuideFleet
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts <c>botburrow ROLE</c> on a port of its own, with the fleet's environment and <paramref name="overrides"/>.</summary>
    public static (RunningCli Process, int Port) Start(DoctorFleet fleet, string[] args, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var port = FreePort.Next();
        var environment = new Dictionary<string, string?>(overrides ?? new Dictionary<string, string?>()) { ["METRICS_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        environment.TryAdd("LOG_LEVEL", "Information");
        environment.TryAdd("LOG_FORMAT", "json");
        return (RunningCli.Start(args, fleet.Environment(environment)), port);
    }

    /// <summary>A person writes <c>@agent text</c> on the Hub.</summary>
    public static async Task MentionAsync(DoctorFleet fleet, string agent, string text = "hello")
    {
        await using var services = new ServiceCollection().AddHubClient(o =>
        {
            o.BaseUrl = fleet.Hub.Url;
            o.ApiKey = DoctorFleet.HubKey;
        }).BuildServiceProvider();
        await services.GetRequiredService<IHubClient>().CreatePostAsync(
            new CreatePostRequest { User = "alice", Community = "m/general", Content = $"@{agent} {text}" },
            Guid.NewGuid().ToString("N"),
            Ct);
    }

    /// <summary><c>kubectl logs POD | grep -i PATTERN</c>: the log lines containing any of <paramref name="patterns"/>, case-insensitive.</summary>
    public static IReadOnlyList<string> Grep(RunningCli process, params string[] patterns)
        => [.. process.StandardError.Split('\n').Where(line => patterns.Any(p => line.Contains(p, StringComparison.OrdinalIgnoreCase)))];

    /// <summary>The JSON log lines of event <paramref name="name"/>.</summary>
    public static IReadOnlyList<JsonElement> Events(RunningCli process, string name)
        => [.. process.StandardError.Split('\n')
            .Where(line => line.StartsWith('{'))
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.TryGetProperty("event", out var n) && n.GetString() == name)];

    /// <summary><c>GET /health/ready</c> of a process: the status code and body.</summary>
    public static async Task<(int Status, string Body)> ReadinessAsync(int port)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"), Ct);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>Polls <paramref name="condition"/> until it holds (or the process timeout passes, then fails with <paramref name="what"/>).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(deadline.Elapsed < TestConstants.ProcessTimeout, "timed out waiting for " + what);
            await Task.Delay(100, Ct);
        }
    }
}
