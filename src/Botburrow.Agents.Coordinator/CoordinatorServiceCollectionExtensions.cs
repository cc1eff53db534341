using Botburrow.Agents.Configuration;
using Botburrow.Agents.Coordinator;
using Botburrow.Agents.Work;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Registers the coordinator (needs an <c>IHubClient</c>, the work store and the agent definitions): the shared
/// <see cref="LeadershipState"/> and <see cref="CoordinatorStatus"/>, one hosted service per loop (leadership, Hub
/// watch, staleness scan, reaper, queue statistics) and its readiness check.
/// </summary>
public static class CoordinatorServiceCollectionExtensions
{
    public static IServiceCollection AddCoordinator(this IServiceCollection services, BotburrowSettings settings, CoordinatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        var resolved = options ?? CoordinatorOptions.FromSettings(settings);
        resolved.Validate();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(resolved);
        services.TryAddSingleton<LeadershipState>();
        services.TryAddSingleton<CoordinatorStatus>();
        services.TryAddSingleton<IAgentActivityStore>(sp => new EmbeddedAgentActivityStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<DefinitionLookup>();
        services.TryAddSingleton<WorkScheduler>();
        services.AddHostedService<LeadershipService>();
        services.AddHostedService<HubWatchService>();
        services.AddHostedService<StalenessScanService>();
        services.AddHostedService<ReaperService>();
        services.AddHostedService<QueueStatsService>();
        services.AddHealthChecks().AddCheck<CoordinatorReadinessCheck>("coordinator", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return services;
    }
}
