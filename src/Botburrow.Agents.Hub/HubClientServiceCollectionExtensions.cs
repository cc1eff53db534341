using Botburrow.Agents.Hub;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Hub client.</summary>
public static class HubClientServiceCollectionExtensions
{
    /// <summary>Registers <see cref="IHubClient"/> (a typed <see cref="HttpClient"/>) configured by <paramref name="configure"/>.</summary>
    public static IServiceCollection AddHubClient(this IServiceCollection services, Action<HubClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<HubClientOptions>()
            .Configure(configure)
            .Validate(o => o.BaseUrl is not null, "HUB_URL (HubClientOptions.BaseUrl) is required")
            .Validate(o => o.MaxAttempts >= 1, "HubClientOptions.MaxAttempts must be at least 1")
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, "HubClientOptions.RequestTimeout must be positive");
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient<IHubClient, HubClient>((provider, http) =>
        {
            http.BaseAddress = HubClient.WithTrailingSlash(provider.GetRequiredService<IOptions<HubClientOptions>>().Value.BaseUrl!);
            http.Timeout = Timeout.InfiniteTimeSpan;
        });
        return services;
    }
}
