using Botburrow.Agents.Hub;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Hub client.</summary>
public static class HubClientServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IHubClient"/> (a typed <see cref="HttpClient"/> behind the Hub resilience handler: retries
    /// of transient failures, a timeout per attempt) configured by <paramref name="configure"/>.
    /// </summary>
    public static IServiceCollection AddHubClient(this IServiceCollection services, Action<HubClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<HubClientOptions>()
            .Configure(configure)
            .Validate(o => o.BaseUrl is not null, "HUB_URL (HubClientOptions.BaseUrl) is required")
            .Validate(o => o.MaxAttempts >= 1, "HubClientOptions.MaxAttempts must be at least 1")
            .Validate(o => o.RequestTimeout > TimeSpan.Zero, "HubClientOptions.RequestTimeout must be positive")
            .Validate(o => o.PollGrace >= TimeSpan.Zero, "HubClientOptions.PollGrace must not be negative")
            .Validate(o => o.RetryBaseDelay >= TimeSpan.Zero && o.RetryMaxDelay >= o.RetryBaseDelay, "HubClientOptions.RetryBaseDelay must not be negative nor above RetryMaxDelay")
            .Validate(o => o.MaxRetryAfter >= TimeSpan.Zero, "HubClientOptions.MaxRetryAfter must not be negative");
        services.TryAddSingleton(TimeProvider.System);

        // Polly logs every attempt at Information; the Hub client's own hub_request_retry event reports retries.
        services.Configure<LoggerFilterOptions>(o => o.AddFilter("Polly", LogLevel.Error));
        services.AddHttpClient<IHubClient, HubClient>((provider, http) =>
        {
            http.BaseAddress = HubClient.WithTrailingSlash(provider.GetRequiredService<IOptions<HubClientOptions>>().Value.BaseUrl!);
            http.Timeout = Timeout.InfiniteTimeSpan;
        })

        // The factory's request logging (a scope and up to four events per request) is filtered out anyway; the
        // client logs what matters itself (hub_request_retry, hub_answer_incomplete).
        .RemoveAllLoggers()
        .AddResilienceHandler(HubResilience.PipelineName, (pipeline, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<HubClientOptions>>().Value;
            var logger = context.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger<HubClient>();
            HubResilience.Configure(pipeline, options, logger);
        });
        return services;
    }
}
