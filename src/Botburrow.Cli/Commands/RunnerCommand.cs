using System.CommandLine;
using Botburrow.Agents.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Botburrow.Cli.Commands;

/// <summary><c>botburrow runner --mode notification|exploration|hybrid</c>: claims and runs activations; HTTP on :9091.</summary>
internal sealed class RunnerCommand : Command
{
    private readonly Option<string> _mode = new("--mode")
    {
        Description = "Which work to claim: notification (INBOX), exploration (DISCOVERY) or hybrid (both). Overrides RUNNER_MODE when given.",
    };

    public RunnerCommand()
        : base("runner", "Run a runner: claims the work its mode allows and activates agents; metrics and health on METRICS_PORT (9091).")
    {
        _mode.AcceptOnlyFromAmong("notification", "exploration", "hybrid");
        Options.Add(_mode);
        SetAction((parseResult, cancellationToken) => CliContext.RunAsync(
            parseResult,
            CliContext.Flags(parseResult, (SettingNames.RunnerMode, _mode)),
            RunAsync,
            cancellationToken));
    }

    private static async Task<int> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        settings.Require(SettingNames.HubUrl, "runner");
        settings.Require(SettingNames.RedisUrl, "runner");
        await using var app = FleetHost.Build(settings, 9091, builder =>
        {
            builder.Services.AddRedisWorkQueue(settings, role: "runner");
            FleetHost.AddHub(builder.Services, settings);
            builder.Services.AddAgentDefinitions(settings);
            builder.Services.AddRunner(settings);
        });
        return await FleetHost.RunAsync(app, context.Error, SettingNames.MetricsPort);
    }
}
