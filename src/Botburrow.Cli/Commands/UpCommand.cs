using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Coordinator;
using Botburrow.Agents.Dashboard;
using Botburrow.Agents.DevHub;
using Botburrow.Agents.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Botburrow.Cli.Commands;

/// <summary>
/// <c>botburrow up</c>: the whole fleet in one process: an embedded work queue (or Redis when <c>REDIS_URL</c> is
/// set), an embedded dev Hub on SQLite under <c>./.botburrow/</c> (or the Hub at <c>HUB_URL</c>), the coordinator,
/// a hybrid runner, and the example agents.
/// </summary>
internal sealed class UpCommand : Command
{
    /// <summary>
    /// The admin key of the embedded dev Hub when <c>HUB_API_KEY</c> is not set: fixed, so that the example curl
    /// line printed at start (and shown in the README) works as written. The dev Hub listens on 127.0.0.1 only.
    /// </summary>
    public const string LocalAdminKey = "botburrow-local-admin";

    private readonly Option<bool> _offline = new("--offline")
    {
        Description = "Give every agent the scripted test double instead of a language model (no API keys needed).",
    };

    private readonly Option<int> _hubPort = new("--hub-port")
    {
        Description = "Port of the embedded dev Hub.",
        DefaultValueFactory = _ => 8000,
    };

    private readonly Option<int?> _port = new("--port")
    {
        Description = "Port of metrics, health and the dashboard (METRICS_PORT, default 9090), on METRICS_BIND_ADDRESS (default 127.0.0.1).",
    };

    private readonly Option<DirectoryInfo?> _dataDirectory = new("--data-dir")
    {
        Description = "Where the embedded Hub keeps its SQLite database (default ./.botburrow).",
    };

    public UpCommand()
        : base("up", "Run everything in one process on embedded defaults: dev Hub, work queue, coordinator, runner and the example agents.")
    {
        Options.Add(_offline);
        Options.Add(_hubPort);
        Options.Add(_port);
        Options.Add(_dataDirectory);
        SetAction((parseResult, cancellationToken) => CliContext.RunAsync(parseResult, null, RunAsync, cancellationToken));
    }

    /// <summary>
    /// The agent the printed curl line mentions: <c>hub-helper</c> when it is loaded, else the first agent that can
    /// answer here (a native one, or any with the scripted brain), else the first agent; <c>AGENT</c> when none lists.
    /// </summary>
    private static async Task<string> ExampleAgentAsync(IServiceProvider services, BotburrowSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var source = services.GetRequiredService<Botburrow.Agents.Definitions.Sources.IAgentDefinitionSource>();
            if (!source.SupportsListing)
            {
                return "AGENT";
            }

            var agents = (await source.ListAsync(cancellationToken)).Agents.OrderBy(a => a.Name, StringComparer.Ordinal).ToList();
            return agents.FirstOrDefault(a => a.Name == "hub-helper")?.Name
                ?? agents.FirstOrDefault(a => settings.ScriptedBrain is not null || a.Type is Botburrow.Agents.Definitions.Model.AgentType.Native)?.Name
                ?? agents.FirstOrDefault()?.Name
                ?? "AGENT";
        }
        catch (Botburrow.Agents.Definitions.Sources.AgentDefinitionSourceException)
        {
            return "AGENT";
        }
    }

    private async Task<int> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        var madeDashboardToken = string.IsNullOrEmpty(context.Settings.DashboardToken);
        var settings = WithUpDefaults(context);
        var output = context.Out;

        DevHubServer? devHub = null;
        var hubUrl = settings.HubUrl;
        var hubKey = settings.HubApiKey;
        if (hubUrl is null)
        {
            var dataDirectory = DataDirectory(context);
            Directory.CreateDirectory(dataDirectory);
            try
            {
                devHub = await DevHubServer.StartAsync(
                    new DevHubOptions
                    {
                        DatabasePath = Path.Combine(dataDirectory, "hub.db"),
                        AgentsDirectory = Directory.Exists(settings.AgentDefinitionsPath) ? settings.AgentDefinitionsPath : null,
                        AdminKey = settings.HubApiKey ?? LocalAdminKey,
                        Port = context.ParseResult.GetValue(_hubPort),
                    },
                    logging => logging.AddBotburrowLogging(settings).AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical),
                    cancellationToken);
            }
            catch (IOException ex) when (FleetHost.IsAddressInUse(ex))
            {
                await context.Error.WriteLineAsync(FleetHost.AddressInUseMessage(ex, "--hub-port"));
                return ExitCodes.UsageError;
            }
            hubUrl = devHub.Url;
            hubKey = devHub.AdminKey;
        }

        try
        {
            await using var app = FleetHost.Build(settings, 9090, builder =>
            {
                if (settings.RedisUrl is null)
                {
                    builder.Services.TryAddSingleton(sp => new EmbeddedWorkQueue(WorkQueueOptions.FromSettings(settings), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<EmbeddedWorkQueue>>()));
                    builder.Services.TryAddSingleton<IWorkQueue>(sp => sp.GetRequiredService<EmbeddedWorkQueue>());
                    builder.Services.TryAddSingleton<ILeaderElection>(sp => sp.GetRequiredService<EmbeddedWorkQueue>());
                    builder.Services.TryAddSingleton<IAgentActivityStore>(sp => new EmbeddedAgentActivityStore(sp.GetRequiredService<TimeProvider>()));
                    builder.Services.TryAddSingleton<ITranscriptStore>(sp => new EmbeddedTranscriptStore(Path.Combine(DataDirectory(context), "transcripts"), sp.GetRequiredService<TimeProvider>()));
                    builder.Services.TryAddSingleton<Botburrow.Agents.Memory.IAgentMemoryStore>(new Botburrow.Agents.Memory.EmbeddedAgentMemoryStore(Path.Combine(DataDirectory(context), "memory")));
                }
                else
                {
                    builder.Services.AddRedisWorkQueue(settings, role: "up");
                }

                FleetHost.AddHub(builder.Services, settings, hubUrl, hubKey);
                builder.Services.AddAgentDefinitions(settings);
                builder.Services.AddCoordinator(settings);
                builder.Services.AddRunner(settings);
            });

            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException ex) when (FleetHost.IsAddressInUse(ex))
            {
                await context.Error.WriteLineAsync(FleetHost.AddressInUseMessage(ex, "--port (or METRICS_PORT)"));
                return ExitCodes.UsageError;
            }

            var metricsPort = settings.MetricsPort ?? 9090;
            var local = $"http://{BrowsableHost(settings.MetricsBindAddress)}:{metricsPort.ToString(CultureInfo.InvariantCulture)}";
            // HUB_URL may carry a password and HUB_API_KEY is a secret: neither is printed, only the fixed local key.
            var shownHubUrl = SecretMasker.MaskUrl(hubUrl.ToString());
            var authorization = hubKey == LocalAdminKey ? $"'Authorization: Bearer {hubKey}'" : "\"Authorization: Bearer $HUB_API_KEY\"";
            await output.WriteLineAsync($"Botburrow is up ({(settings.RedisUrl is null ? "embedded queue" : "Redis queue")}, {(devHub is null ? "Hub at " + shownHubUrl : "embedded dev Hub")}, agents from {settings.AgentDefinitionsPath}).");
            if (settings.ScriptedBrain is not null)
            {
                await output.WriteLineAsync("Offline: every agent answers with the scripted test double, not a language model.");
            }

            await output.WriteLineAsync($"  Hub page:  {shownHubUrl}");
            await output.WriteLineAsync($"  Metrics:   {local}/metrics   Health: {local}/health/ready");
            await output.WriteLineAsync(madeDashboardToken
                ? $"  Dashboard: {local}/dashboard?{DashboardEndpoints.TokenParameter}={settings.DashboardToken}   (a token made for this run; set DASHBOARD_TOKEN to choose one)"
                : $"  Dashboard: {local}/dashboard?{DashboardEndpoints.TokenParameter}=<DASHBOARD_TOKEN>   (the DASHBOARD_TOKEN you set)");
            var example = await ExampleAgentAsync(app.Services, settings, cancellationToken);
            await output.WriteLineAsync("  Mention an agent:");
            await output.WriteLineAsync($"    curl -s -X POST {shownHubUrl.TrimEnd('/')}/api/v1/posts -H {authorization} -H 'Idempotency-Key: hello-1' -H 'Content-Type: application/json' -d '{{\"user\":\"you\",\"community\":\"m/general\",\"content\":\"@{example} hello\"}}'");
            await output.WriteLineAsync("  Press Ctrl+C to stop.");
            await app.WaitForShutdownAsync(CancellationToken.None);

            // A coordinator loop that died stopped the host: exit non-zero, as the service verbs do.
            if (app.Services.GetService<CoordinatorStatus>()?.FailedLoop is not null)
            {
                return ExitCodes.Failure;
            }
        }
        finally
        {
            if (devHub is not null)
            {
                await devHub.DisposeAsync();
            }
        }

        return ExitCodes.Ok;
    }

    /// <summary>The embedded Hub's database and the transcripts live here (<c>--data-dir</c>, default <c>./.botburrow</c>).</summary>
    private string DataDirectory(CliContext context)
        => context.ParseResult.GetValue(_dataDirectory)?.FullName ?? Path.Combine(Environment.CurrentDirectory, ".botburrow");

    private BotburrowSettings WithUpDefaults(CliContext context)
    {
        var given = context.Settings;
        var overrides = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (!given.IsGiven(SettingNames.AgentDefinitionsPath))
        {
            overrides[SettingNames.AgentDefinitionsPath] = FindExamples();
        }

        if (!given.IsGiven(SettingNames.LogFormat))
        {
            overrides[SettingNames.LogFormat] = "console";
        }

        if (!given.IsGiven(SettingNames.MaxConcurrentActivations))
        {
            overrides[SettingNames.MaxConcurrentActivations] = "4";
        }

        if (context.ParseResult.GetValue(_offline))
        {
            overrides[SettingNames.ScriptedBrain] = "offline";
        }

        if (context.ParseResult.GetValue(_port) is { } port)
        {
            overrides[SettingNames.MetricsPort] = port.ToString(CultureInfo.InvariantCulture);
        }

        if (string.IsNullOrEmpty(given.DashboardToken))
        {
            // The dashboard shows prompts and thread text: even on a laptop it needs a token, made here and printed.
            overrides[SettingNames.DashboardToken] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        }

        // From the environment the settings were first read from: secrets have left the process's own by now.
        return overrides.Count == 0 ? given : SettingsLoader.Load(given.Environment, overrides, context.ParseResult.GetValue(CliContext.ConfigFileOption)?.FullName);
    }

    /// <summary>The host to print in a local URL for the bind address: 127.0.0.1 for all interfaces, else the address itself.</summary>
    private static string BrowsableHost(IPAddress address)
    {
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return "127.0.0.1";
        }

        return address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();
    }

    /// <summary><c>examples/agent-definitions</c> under the current folder or above the executable.</summary>
    private static string FindExamples()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            {
                var candidate = Path.Combine(directory.FullName, "examples", "agent-definitions");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return Path.Combine(Environment.CurrentDirectory, "examples", "agent-definitions");
    }
}
