using Botburrow.Agents.Configuration;
using Botburrow.Agents.Runner.Execution.Cli;
using Botburrow.Agents.Runner;
using Botburrow.Agents.Runner.Activation;
using Botburrow.Agents.Runner.Consumption;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Work;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers a runner: the activation pipeline, its executors and the claiming service.</summary>
public static class RunnerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the activation pipeline (needs an <c>IHubClient</c>, an <c>IWorkQueue</c> and the agent definitions)
    /// and, unless <paramref name="withService"/> is false, the <see cref="RunnerService"/> that claims work.
    /// </summary>
    public static IServiceCollection AddRunner(this IServiceCollection services, BotburrowSettings settings, RunnerOptions? options = null, bool withService = true)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(settings);
        services.TryAddSingleton(options ?? RunnerOptions.FromSettings(settings));
        services.TryAddSingleton(_ => settings.ModelPricesPath is { } path ? ModelPriceTable.LoadWithDefaults(path) : ModelPriceTable.Default);
        services.TryAddSingleton(sp => new BrainFactory(settings, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(new NativeExecutorOptions { DefaultMaxIterations = settings.MaxIterations });
        services.TryAddSingleton(sp => new NativeLoop(sp.GetRequiredService<BrainFactory>(), sp.GetRequiredService<ILoggerFactory>(), sp.GetRequiredService<NativeExecutorOptions>()));
        services.TryAddSingleton(sp => new NativeExecutor(sp.GetRequiredService<NativeLoop>(), sp.GetRequiredService<Botburrow.Agents.Mcp.ActivationToolProvider>()));

        // Behaviour-limit state and transcripts live in the work store: AddRedisWorkQueue registers the Redis ones
        // first; without it (activate --once) they are kept in memory.
        services.TryAddSingleton<IAgentActivityStore>(sp => new EmbeddedAgentActivityStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<ITranscriptStore>(sp => new EmbeddedTranscriptStore(null, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<Botburrow.Agents.Memory.IAgentMemoryStore>(new Botburrow.Agents.Memory.EmbeddedAgentMemoryStore(null));
        services.TryAddSingleton(sp => new Botburrow.Agents.Runner.Memory.EmbeddingGeneratorFactory(settings, sp.GetRequiredService<Botburrow.Agents.Definitions.Permissions.PermissionsPolicySource>()));
        services.TryAddSingleton<Botburrow.Agents.Runner.Memory.AgentMemoryService>();
        services.TryAddSingleton<ExecutorSelector>();
        services.TryAddSingleton(_ => new Botburrow.Agents.Definitions.Permissions.PermissionsPolicySource(settings.AgentPermissionsPath));
        services.TryAddSingleton(sp => new Botburrow.Agents.Mcp.McpServerManager(McpOptionsFor(settings, sp), sp.GetRequiredService<ILoggerFactory>()));

        // The Hub endpoint CLI tools reach the Hub through (loopback, started on first use, stopped with the services).
        services.TryAddSingleton(sp => new Botburrow.Agents.Mcp.Hub.HubGateway(sp.GetRequiredService<Botburrow.Agents.Hub.IHubClient>(), sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton(sp => new Botburrow.Agents.Mcp.ActivationToolProvider(
            sp.GetRequiredService<Botburrow.Agents.Hub.IHubClient>(),
            sp.GetRequiredService<Botburrow.Agents.Mcp.McpServerManager>(),
            sp.GetRequiredService<Botburrow.Agents.Definitions.Permissions.PermissionsPolicySource>(),
            sp.GetRequiredService<Botburrow.Agents.Mcp.Hub.HubGateway>(),
            settings.WorkspaceRoot));
        services.TryAddSingleton(sp => new CliExecutors(settings, sp.GetRequiredService<Botburrow.Agents.Mcp.ActivationToolProvider>(), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton<ActivationPipeline>();
        if (withService)
        {
            services.TryAddSingleton<RunnerService>();
            services.AddHostedService(sp => sp.GetRequiredService<RunnerService>());
        }

        return services;
    }

    /// <summary>The MCP options of the settings, with stdio servers confined under <c>SANDBOX</c>.</summary>
    private static Botburrow.Agents.Mcp.McpOptions McpOptionsFor(BotburrowSettings settings, IServiceProvider services)
    {
        var options = Botburrow.Agents.Mcp.McpOptions.FromSettings(settings);
        options.Sandbox = Botburrow.Agents.Isolation.ChildSandbox.FromSettings(settings, services.GetRequiredService<ILoggerFactory>().CreateLogger("Botburrow.Agents.Isolation"));
        return options;
    }
}
