using Botburrow.Agents.DevHub;
using Botburrow.Agents.DevHub.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the dev Hub's services; <c>MapDevHub</c> maps its endpoints and page.</summary>
public static class DevHubServiceCollectionExtensions
{
    public static IServiceCollection AddDevHub(this IServiceCollection services, Action<DevHubOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<DevHubOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.Validate(o => !string.IsNullOrWhiteSpace(o.DatabasePath), "DevHubOptions.DatabasePath is required");
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<NotificationSignal>();
        services.TryAddSingleton<DevHubStore>();
        services.AddProblemDetails();
        return services;
    }
}
