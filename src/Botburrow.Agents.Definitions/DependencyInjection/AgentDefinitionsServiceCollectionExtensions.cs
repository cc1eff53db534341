using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Sources;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the agent definitions source the settings select.</summary>
public static class AgentDefinitionsServiceCollectionExtensions
{
    /// <summary>The named <see cref="HttpClient"/> of the GitHub raw source.</summary>
    public const string HttpClientName = "botburrow-agent-definitions";

    /// <summary>
    /// Adds <see cref="IAgentDefinitionSource"/>: a directory, a git repository or GitHub raw files, as
    /// <see cref="AgentDefinitionSourceFactory"/> chooses from <paramref name="settings"/>. Idempotent.
    /// </summary>
    public static IServiceCollection AddAgentDefinitions(this IServiceCollection services, BotburrowSettings settings)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.AddLogging();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(HttpClientName, client =>
        {
            client.BaseAddress = GitHubRawAgentDefinitionSource.DefaultBaseAddress;
            client.Timeout = TimeSpan.FromSeconds(30);
            client.DefaultRequestHeaders.UserAgent.ParseAdd("botburrow-agents");
        });
        services.TryAddSingleton(sp => AgentDefinitionSourceFactory.Create(
            settings,
            () => sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<ILoggerFactory>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<AgentDefinitionCache>();
        return services;
    }
}
