using System.CommandLine;
using Botburrow.Agents.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Botburrow.Cli.Commands;

/// <summary><c>botburrow coordinator</c>: leader election, Hub polling, staleness scan and reaping; HTTP on :9090.</summary>
internal sealed class CoordinatorCommand : Command
{
    public CoordinatorCommand()
        : base("coordinator", "Run the coordinator service: leader election, Hub polling, staleness scan, reaper; metrics and health on METRICS_PORT (9090).")
    {
        SetAction((parseResult, cancellationToken) => CliContext.RunAsync(parseResult, null, RunAsync, cancellationToken));
    }

    private static async Task<int> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        settings.Require(SettingNames.HubUrl, "coordinator");
        settings.Require(SettingNames.RedisUrl, "coordinator");
        await using var app = FleetHost.Build(settings, 9090, builder =>
        {
            builder.Services.AddRedisWorkQueue(settings, role: "coordinator");
            FleetHost.AddHub(builder.Services, settings);
            builder.Services.AddAgentDefinitions(settings);
            builder.Services.AddCoordinator(settings);
        });
        return await FleetHost.RunAsync(app, context.Error, SettingNames.MetricsPort);
    }
}
