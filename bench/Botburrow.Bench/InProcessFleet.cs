using Botburrow.Agents.Configuration;
using Botburrow.Agents.Coordinator;
using Botburrow.Agents.DevHub;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Botburrow.Bench;

/// <summary>
/// The fleet composed in this process from its public pieces, as <c>botburrow up</c> composes it: a dev Hub on
/// a free port that registers the generated agents, the embedded queue (or Redis when a URL is given), the Hub
/// client, the agent definitions, and optionally the coordinator and a runner. Their log events go to an
/// <see cref="EventProbe"/>.
/// </summary>
internal sealed class InProcessFleet : IAsyncDisposable
{
    private readonly ServiceProvider _clients;

    private InProcessFleet(DevHubServer hub, IHost host, ServiceProvider clients, BotburrowSettings settings)
    {
        Hub = hub;
        Host = host;
        _clients = clients;
        Settings = settings;
        Poster = clients.GetRequiredService<IHubClient>();
    }

    public DevHubServer Hub { get; }

    public IHost Host { get; }

    public BotburrowSettings Settings { get; }

    /// <summary>A Hub client with the admin key, for posting as a person and reading threads.</summary>
    public IHubClient Poster { get; }

    /// <summary>The dev Hub on a free port; <paramref name="idempotency"/> false makes a repeated write land twice (a duplicate shows).</summary>
    public static async Task<DevHubServer> StartHubAsync(AgentFolder agents, EventProbe? probe = null, bool idempotency = true)
        => await DevHubServer.StartAsync(
            new DevHubOptions { DatabasePath = Path.Combine(agents.Root, "hub.db"), AgentsDirectory = agents.Root, Port = 0, DefaultDailyLimitUsd = 0, DefaultMonthlyLimitUsd = 0, Idempotency = idempotency },
            logging =>
            {
                if (probe is not null)
                {
                    logging.SetMinimumLevel(LogLevel.Debug);
                    logging.AddProvider(probe);
                }
            });

    public static ServiceProvider HubClients(Uri url, string key)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHubClient(o =>
        {
            o.BaseUrl = url;
            o.ApiKey = key;
        });
        return services.BuildServiceProvider();
    }

    public static async Task<InProcessFleet> StartAsync(
        AgentFolder agents,
        EventProbe probe,
        IReadOnlyDictionary<string, string?> environment,
        bool coordinator = true,
        bool runner = true,
        Func<IHubClient, IHubClient>? wrapHub = null,
        bool realLogging = false,
        bool hubIdempotency = true)
    {
        var hub = await StartHubAsync(agents, probe, hubIdempotency);
        var env = new Dictionary<string, string?>(environment, StringComparer.Ordinal)
        {
            [SettingNames.AgentDefinitionsPath] = agents.Root,
            [SettingNames.HubUrl] = hub.Url.ToString(),
            [SettingNames.HubApiKey] = hub.AdminKey,
        };
        env.TryAdd(SettingNames.LogFormat, "json");
        var settings = SettingsLoader.Load(env);
        var clients = HubClients(hub.Url, hub.AdminKey);
        var runnerHub = clients.GetRequiredService<IHubClient>();

        var builder = Microsoft.Extensions.Hosting.Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.ClearProviders();
        if (realLogging)
        {
            builder.Logging.AddBotburrowLogging(settings);
        }

        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddProvider(probe);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        if (settings.RedisUrl is null)
        {
            builder.Services.TryAddSingleton(sp => new EmbeddedWorkQueue(WorkQueueOptions.FromSettings(settings), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EmbeddedWorkQueue>>()));
            builder.Services.TryAddSingleton<IWorkQueue>(sp => sp.GetRequiredService<EmbeddedWorkQueue>());
            builder.Services.TryAddSingleton<ILeaderElection>(sp => sp.GetRequiredService<EmbeddedWorkQueue>());
        }
        else
        {
            builder.Services.AddRedisWorkQueue(settings);
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(wrapHub is null ? runnerHub : wrapHub(runnerHub));
        builder.Services.AddAgentDefinitions(settings);
        if (coordinator)
        {
            builder.Services.AddCoordinator(settings);
        }

        builder.Services.AddRunner(settings, withService: runner);
        var host = builder.Build();
        await host.StartAsync();
        var fleet = new InProcessFleet(hub, host, clients, settings);
        if (coordinator)
        {
            var service = host.Services.GetRequiredService<LeadershipState>();
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            while (!service.IsLeader)
            {
                if (System.Diagnostics.Stopwatch.GetElapsedTime(started) > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException("the in-process coordinator did not become leader within 30 s");
                }

                await Task.Delay(20);
            }
        }

        return fleet;
    }

    /// <summary>A person mentions <paramref name="agent"/> in a new post; returns the post id.</summary>
    public static async Task<string> MentionAsync(IHubClient poster, string agent, string tag)
    {
        var created = await poster.CreatePostAsync(
            new CreatePostRequest { User = "bench-user", Community = "m/general", Content = $"@{agent} benchmark ping {tag}" },
            "bench-" + tag);
        return created.Id;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Host.StopAsync();
        }
        finally
        {
            Host.Dispose();
            await _clients.DisposeAsync();
            await Hub.DisposeAsync();
        }
    }
}
