using Botburrow.Agents.Configuration;
using Botburrow.Agents.Coordinator;
using Botburrow.Agents.Dashboard;
using Botburrow.Agents.Definitions.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Botburrow.Cli.Commands;

/// <summary>Builds the web host every service verb runs in: service defaults plus the parts the verb composes.</summary>
internal static class FleetHost
{
    public static WebApplication Build(BotburrowSettings settings, int defaultPort, Action<WebApplicationBuilder> compose, string? logFormat = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.AddServiceDefaults(settings, defaultPort, logFormat);

        // The host's own records of a failed start or a faulted service repeat, with a stack trace, what the verb
        // reports in one line (a port in use) or what BackgroundServiceStoppingHost (critical) already says.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownGracePeriod + TimeSpan.FromSeconds(15));
        compose(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        if (app.Services.GetService<AgentDefinitionCache>() is { } cache)
        {
            app.MapCacheInvalidation(settings.AdminToken, cache.Invalidate);
        }

        if (app.Services.GetService<LeadershipState>() is not null)
        {
            app.MapFleetDashboard(settings.AdminToken, settings.DashboardToken);
        }

        return app;
    }

    /// <summary>
    /// Runs a service verb's host until it stops: exit 0, or 1 when a coordinator loop died. A port already taken gives a one-line error naming the port and
    /// the setting that moves it (exit 2) instead of a stack trace.
    /// </summary>
    public static async Task<int> RunAsync(WebApplication app, TextWriter error, string portSetting)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(error);
        // Resolved before running: RunAsync disposes the host's services when it returns.
        var coordinator = app.Services.GetService<CoordinatorStatus>();
        try
        {
            await app.RunAsync();

            // A coordinator loop that died stopped the host; the supervisor must see a failure and restart it.
            return coordinator?.FailedLoop is null ? ExitCodes.Ok : ExitCodes.Failure;
        }
        catch (IOException ex) when (IsAddressInUse(ex))
        {
            await error.WriteLineAsync(AddressInUseMessage(ex, portSetting));
            return ExitCodes.UsageError;
        }
    }

    /// <summary>True when <paramref name="ex"/> is Kestrel failing to bind a port that is already taken.</summary>
    public static bool IsAddressInUse(Exception ex) => ex is IOException { InnerException: Microsoft.AspNetCore.Connections.AddressInUseException };

    public static string AddressInUseMessage(Exception ex, string portSetting)
    {
        ArgumentNullException.ThrowIfNull(ex);
        return $"{ex.Message.TrimEnd('.')}: another process is listening there; stop it or choose another port with {portSetting}.";
    }

    /// <summary>Adds the Hub client for <c>HUB_URL</c> and <c>HUB_API_KEY</c> (or the given URL and key).</summary>
    public static void AddHub(IServiceCollection services, BotburrowSettings settings, Uri? url = null, string? apiKey = null)
        => services.AddHubClient(o =>
        {
            o.BaseUrl = url ?? settings.HubUrl;
            o.ApiKey = apiKey ?? settings.HubApiKey;
        });
}
