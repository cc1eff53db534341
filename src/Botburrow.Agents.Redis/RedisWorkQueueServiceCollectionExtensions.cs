using Botburrow.Agents.Configuration;
using Botburrow.Agents.Redis;
using Botburrow.Agents.Work;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis work backend.</summary>
public static class RedisWorkQueueServiceCollectionExtensions
{
    /// <summary>
    /// Registers one shared <see cref="RedisConnection"/> for <c>REDIS_URL</c>, the <see cref="WorkQueueOptions"/>
    /// from the settings, and <see cref="RedisWorkQueue"/> as <see cref="IWorkQueue"/> and
    /// <see cref="ILeaderElection"/>, and the Redis <see cref="IAgentActivityStore"/>, <see cref="ITranscriptStore"/> and agent memory store. Idempotent.
    /// The connection is named <c>botburrow:&lt;role&gt;:&lt;RUNNER_ID&gt;</c> (fast failure detection looks for it).
    /// </summary>
    public static IServiceCollection AddRedisWorkQueue(this IServiceCollection services, BotburrowSettings settings, string keyPrefix = "", string role = "process")
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Require(SettingNames.RedisUrl, "work queue");
        var url = settings.RedisUrl!;
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(WorkQueueOptions.FromSettings(settings) with { KeyPrefix = keyPrefix });
        services.TryAddSingleton(sp => RedisConnection.ConnectAsync(url, logger: sp.GetService<ILoggerFactory>()?.CreateLogger("Botburrow.Agents.Redis"), clientName: RedisConnection.NameFor(role, settings.RunnerId)).GetAwaiter().GetResult());
        services.TryAddSingleton(sp => new RedisWorkQueue(
            sp.GetRequiredService<RedisConnection>(),
            sp.GetRequiredService<WorkQueueOptions>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<RedisWorkQueue>>()));
        services.TryAddSingleton<IWorkQueue>(sp => sp.GetRequiredService<RedisWorkQueue>());
        services.TryAddSingleton<ILeaderElection>(sp => sp.GetRequiredService<RedisWorkQueue>());
        services.TryAddSingleton<IAgentActivityStore>(sp => new RedisAgentActivityStore(sp.GetRequiredService<RedisConnection>(), new RedisKeys(keyPrefix), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ITranscriptStore>(sp => new RedisTranscriptStore(sp.GetRequiredService<RedisConnection>(), new RedisKeys(keyPrefix)));
        services.TryAddSingleton<Botburrow.Agents.Memory.IAgentMemoryStore>(sp => new RedisAgentMemoryStore(sp.GetRequiredService<RedisConnection>(), new RedisKeys(keyPrefix)));
        return services;
    }
}
