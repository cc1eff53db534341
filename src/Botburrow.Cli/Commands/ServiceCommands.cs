using System.CommandLine;
using Botburrow.Agents.Configuration;

namespace Botburrow.Cli.Commands;

/// <summary>
/// <c>botburrow coordinator</c> and <c>botburrow runner</c>: their settings are checked at start (a missing
/// <c>HUB_URL</c> or <c>REDIS_URL</c> stops them with exit code 2).
/// </summary>
internal static class ServiceCommands
{
    public static Command Coordinator()
    {
        var command = new Command("coordinator", "Run the coordinator service (leader election, polling, reaping; Redis required).");
        command.SetAction((parseResult, cancellationToken) => CliContext.RunAsync(parseResult, null, (context, ct) =>
        {
            context.Settings.Require(SettingNames.HubUrl, "coordinator");
            context.Settings.Require(SettingNames.RedisUrl, "coordinator");
            return NotBuiltAsync(context, "coordinator");
        }, cancellationToken));
        return command;
    }

    public static Command Runner()
    {
        var mode = new Option<string>("--mode") { Description = "notification, exploration or hybrid (RUNNER_MODE)." };
        mode.AcceptOnlyFromAmong("notification", "exploration", "hybrid");
        var command = new Command("runner", "Run a runner service that claims and activates work.") { mode };
        command.SetAction((parseResult, cancellationToken) => CliContext.RunAsync(
            parseResult,
            CliContext.Flags(parseResult, (SettingNames.RunnerMode, mode)),
            (context, ct) =>
            {
                context.Settings.Require(SettingNames.HubUrl, "runner");
                context.Settings.Require(SettingNames.RedisUrl, "runner");
                return NotBuiltAsync(context, "runner");
            },
            cancellationToken));
        return command;
    }

    private static async Task<int> NotBuiltAsync(CliContext context, string verb)
    {
        await context.Error.WriteLineAsync($"'botburrow {verb}': settings are valid, but this build does not contain the {verb} service yet");
        return ExitCodes.Failure;
    }
}
