using Botburrow.Agents.Configuration;
using Botburrow.Agents.DevHub;
using Botburrow.Agents.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Botburrow.EndToEnd.Tests;

/// <summary>
/// The whole system in this process, composed from the public pieces as <c>botburrow up</c> composes them: a dev
/// Hub on a temporary SQLite file, the embedded work queue, the coordinator and a hybrid runner.
/// </summary>
public sealed class InProcessFleet : IAsyncDisposable
{
    private readonly IHost _host;

    private InProcessFleet(DevHubServer hub, IHost host, CapturedLog log, HubProbe probe)
    {
        Hub = hub;
        _host = host;
        Log = log;
        Probe = probe;
    }

    public DevHubServer Hub { get; }

    public CapturedLog Log { get; }

    public HubProbe Probe { get; }

    public IWorkQueue Queue => _host.Services.GetRequiredService<IWorkQueue>();

    /// <summary>The host's services (the stores the runner wrote to).</summary>
    public IServiceProvider Services => _host.Services;

    public static async Task<InProcessFleet> StartAsync(TestAgents agents, IReadOnlyDictionary<string, string?>? extra = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agents);
        var hub = await DevHubServer.StartAsync(
            new DevHubOptions
            {
                DatabasePath = Path.Combine(agents.Root, "hub.db"),
                AgentsDirectory = agents.DefinitionsDirectory,
                Port = 0,
            },
            logging => logging.ClearProviders(),
            cancellationToken);

        var log = new CapturedLog();
        var host = await StartHostAsync(agents, "runner-in-process", hub.Url, hub.AdminKey, log, extra, cancellationToken);
        return new InProcessFleet(hub, host, log, new HubProbe(hub.Url, hub.AdminKey));
    }

    /// <summary>
    /// The coordinator and a hybrid runner on the embedded work queue against the Hub at <paramref name="hubUrl"/>,
    /// composed as <c>botburrow up</c> composes them, logging into <paramref name="log"/>; started.
    /// </summary>
    public static async Task<IHost> StartHostAsync(TestAgents agents, string runnerId, Uri hubUrl, string hubKey, CapturedLog log, IReadOnlyDictionary<string, string?>? extra = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(log);
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [SettingNames.AgentDefinitionsPath] = agents.DefinitionsDirectory,
            [SettingNames.ScriptedBrain] = agents.ScriptsDirectory,
            [SettingNames.ModelPricesPath] = agents.PricesPath,
            [SettingNames.RunnerId] = runnerId,
            [SettingNames.HeartbeatInterval] = "0.2",
            [SettingNames.LeaseDuration] = "2",
            [SettingNames.ReapInterval] = "0.5",
            [SettingNames.LeaderLeaseDuration] = "2",
            [SettingNames.MinStalenessSeconds] = "3600",
            [SettingNames.MaxConcurrentActivations] = "2",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[key] = value;
        }

        var settings = SettingsLoader.Load(environment);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFilter("System.Net.Http", LogLevel.Warning);
        builder.Logging.AddProvider(log);
        builder.Services.AddSingleton(sp => new EmbeddedWorkQueue(WorkQueueOptions.FromSettings(settings), TimeProvider.System, sp.GetRequiredService<ILogger<EmbeddedWorkQueue>>()));
        builder.Services.AddSingleton<IWorkQueue>(sp => sp.GetRequiredService<EmbeddedWorkQueue>());
        builder.Services.AddSingleton<ILeaderElection>(sp => sp.GetRequiredService<EmbeddedWorkQueue>());
        builder.Services.AddHubClient(o =>
        {
            o.BaseUrl = hubUrl;
            o.ApiKey = hubKey;
        });
        builder.Services.AddAgentDefinitions(settings);
        builder.Services.AddCoordinator(settings);
        builder.Services.AddRunner(settings);
        var host = builder.Build();
        await host.StartAsync(cancellationToken);
        return host;
    }

    /// <summary>activation_starting events of an agent, in order.</summary>
    public IReadOnlyList<LogEvent> Starts(string agent) => [.. Log.Named("activation_starting").Where(e => e["AgentId"] == agent)];

    /// <summary>Events that end an activation of an agent (completed, failed, cancelled, handed back).</summary>
    public IReadOnlyList<LogEvent> Ends(string agent) => [.. Log.Events.Where(e => e["AgentId"] == agent
        && e.Name is "activation_completed" or "activation_failed" or "activation_cancelled" or "activation_handed_back")];

    public async ValueTask DisposeAsync()
    {
        foreach (var e in Log.Events)
        {
            Xunit.TestContext.Current.TestOutputHelper?.WriteLine($"{e.Name} {string.Join(", ", e.Values.Where(v => v.Key != "{OriginalFormat}").Select(v => v.Key + "=" + v.Value))}");
        }

        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            try
            {
                await _host.StopAsync(stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        _host.Dispose();
        Probe.Dispose();
        await Hub.DisposeAsync();
    }
}
