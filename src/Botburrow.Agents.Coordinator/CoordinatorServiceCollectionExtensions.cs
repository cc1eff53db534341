using Botburrow.Agents.Configuration;
using Botburrow.Agents.Coordinator;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the coordinator service (needs an <c>IHubClient</c>, the work store and the agent definitions).</summary>
public static class CoordinatorServiceCollectionExtensions
{
    public static IServiceCollection AddCoordinator(this IServiceCollection services, BotburrowSettings settings, CoordinatorOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options ?? CoordinatorOptions.FromSettings(settings));
        services.TryAddSingleton<CoordinatorService>();
        services.AddHostedService(sp => sp.GetRequiredService<CoordinatorService>());
        services.AddHealthChecks().AddCheck<LeaderHubHealthCheck>("hub", tags: [ServiceDefaultsExtensions.ReadyTag]);
        return services;
    }
}
