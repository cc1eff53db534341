using Botburrow.Agents.Configuration;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Botburrow.EndToEnd.Tests;

/// <summary>
/// The system as separate processes on Redis: <c>botburrow hub</c>, coordinators and runners started by the test,
/// each with its own METRICS_PORT and RUNNER_ID, all logging JSON lines.
/// </summary>
public sealed class RedisFleet : IAsyncDisposable
{
    private const string AdminKey = "e2e-admin-key";

    private readonly TestAgents _agents;
    private readonly Dictionary<string, string?> _environment;
    private readonly List<CliChild> _children = [];
    private readonly ServiceProvider _services;

    private RedisFleet(TestAgents agents, Dictionary<string, string?> environment, Uri hubUrl)
    {
        _agents = agents;
        _environment = environment;
        HubUrl = hubUrl;
        Probe = new HubProbe(hubUrl, AdminKey);
        var collection = new ServiceCollection();
        collection.AddLogging(l => l.ClearProviders());
        collection.AddRedisWorkQueue(SettingsLoader.Load(environment));
        _services = collection.BuildServiceProvider();
    }

    public Uri HubUrl { get; }

    public HubProbe Probe { get; }

    /// <summary>The same work store the processes use.</summary>
    public IWorkQueue Queue => _services.GetRequiredService<IWorkQueue>();

    /// <summary>Starts the Hub on <paramref name="redisUrl"/> (use a database number of its own per test).</summary>
    public static async Task<RedisFleet> StartAsync(TestAgents agents, string redisUrl, IReadOnlyDictionary<string, string?>? extra = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agents);
        var hubPort = FreePort.Next();
        var hubUrl = new Uri($"http://127.0.0.1:{hubPort}/");
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [SettingNames.HubUrl] = hubUrl.ToString(),
            [SettingNames.HubApiKey] = AdminKey,
            [SettingNames.RedisUrl] = redisUrl,
            [SettingNames.AgentDefinitionsPath] = agents.DefinitionsDirectory,
            [SettingNames.ScriptedBrain] = agents.ScriptsDirectory,
            [SettingNames.LogFormat] = "json",
            [SettingNames.LogLevel] = "Information",
            [SettingNames.HeartbeatInterval] = "0.3",
            [SettingNames.LeaseDuration] = "2",
            [SettingNames.ReapInterval] = "0.5",
            [SettingNames.LeaderLeaseDuration] = "4",
            [SettingNames.MinStalenessSeconds] = "3600",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var fleet = new RedisFleet(agents, environment, hubUrl);
        var hub = fleet.Start("hub", ["hub", "--db", Path.Combine(agents.Root, "hub.db"), "--port", CliChild.Port(hubPort), "--agents", agents.DefinitionsDirectory, "--admin-key", AdminKey], "hub");
        await Eventually.WaitAsync(
            async () =>
            {
                if (hub.HasExited)
                {
                    throw new InvalidOperationException("botburrow hub exited:\n" + hub.Describe());
                }

                try
                {
                    await fleet.Probe.Client.GetHealthAsync(cancellationToken);
                    return true;
                }
                catch (Exception ex) when (ex is HttpRequestException or Agents.Hub.HubException or TaskCanceledException)
                {
                    return false;
                }
            },
            "the Hub to answer",
            TestConstants.ProcessTimeout,
            cancellationToken);
        return fleet;
    }

    public CliChild StartCoordinator(string id) => Start(id, ["coordinator"], id);

    public CliChild StartRunner(string id, string mode, IReadOnlyDictionary<string, string?>? extra = null) => Start(id, ["runner", "--mode", mode], id, extra);

    /// <summary>activation_starting events a process logged, optionally for one agent.</summary>
    public static IReadOnlyList<(string? Agent, string? TaskType, string? RunnerId, string? Attempt)> Starts(CliChild child) =>
        [.. child.Events("activation_starting").Select(e => (
            CliChild.Find(e, "AgentId", "agent_id"),
            CliChild.Find(e, "TaskType"),
            CliChild.Find(e, "runner_id"),
            CliChild.Find(e, "Attempt")))];

    public string Describe() => string.Join("\n\n", _children.Select(c => $"== {c.Name} ==\n{c.Describe()}"));

    public async ValueTask DisposeAsync()
    {
        foreach (var child in Enumerable.Reverse(_children))
        {
            await child.DisposeAsync();
        }

        Probe.Dispose();
        await _services.DisposeAsync();
    }

    private CliChild Start(string name, string[] args, string id, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>(_environment, StringComparer.Ordinal)
        {
            [SettingNames.RunnerId] = id,
            [SettingNames.MetricsPort] = CliChild.Port(FreePort.Next()),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var child = CliChild.Start(name, args, environment, _agents.Root);
        _children.Add(child);
        return child;
    }
}
