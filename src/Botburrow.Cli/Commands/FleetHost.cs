using Botburrow.Agents.Configuration;
using Botburrow.Agents.Coordinator;
using Botburrow.Agents.Coordinator.Dashboard;
using Botburrow.Agents.Definitions.Sources;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Botburrow.Cli.Commands;

/// <summary>Builds the web host every service verb runs in: service defaults plus the parts the verb composes.</summary>
internal static class FleetHost
{
    public static WebApplication Build(BotburrowSettings settings, int defaultPort, Action<WebApplicationBuilder> compose, string? logFormat = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.AddServiceDefaults(settings, defaultPort, logFormat);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownGracePeriod + TimeSpan.FromSeconds(15));
        compose(builder);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        if (app.Services.GetService<AgentDefinitionCache>() is { } cache)
        {
            app.MapCacheInvalidation(settings.AdminToken, cache.Invalidate);
        }

        if (app.Services.GetService<CoordinatorService>() is not null)
        {
            app.MapFleetDashboard(settings.AdminToken);
        }

        return app;
    }

    /// <summary>Adds the Hub client for <c>HUB_URL</c> and <c>HUB_API_KEY</c> (or the given URL and key).</summary>
    public static void AddHub(IServiceCollection services, BotburrowSettings settings, Uri? url = null, string? apiKey = null)
        => services.AddHubClient(o =>
        {
            o.BaseUrl = url ?? settings.HubUrl;
            o.ApiKey = apiKey ?? settings.HubApiKey;
        });
}
