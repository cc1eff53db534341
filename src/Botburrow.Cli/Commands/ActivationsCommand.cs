using System.CommandLine;
using System.Globalization;

namespace Botburrow.Cli.Commands;

/// <summary><c>botburrow activations list|stop ID</c>: running activations; stopping one deletes <c>activation:{id}</c>.</summary>
internal sealed class ActivationsCommand : Command
{
    public ActivationsCommand()
        : base("activations", "List or stop running activations (REDIS_URL required).")
    {
        var list = new Command("list", "List running activations.");
        list.SetAction((parseResult, cancellationToken) => CliContext.RunAsync(parseResult, null, ListAsync, cancellationToken));
        var id = new Argument<string>("ID") { Description = "The activation id (from 'activations list')." };
        var stop = new Command("stop", "Stop an activation: its runner cancels it within one heartbeat; it is not retried.") { id };
        stop.SetAction((parseResult, cancellationToken) => CliContext.RunAsync(
            parseResult,
            null,
            (context, ct) => StopAsync(context, parseResult.GetValue(id)!, ct),
            cancellationToken));
        Subcommands.Add(list);
        Subcommands.Add(stop);
    }

    private static Task<int> ListAsync(CliContext context, CancellationToken cancellationToken)
        => WorkQueueCli.RunAsync(context, "activations list", async (queue, ct) =>
        {
            var activations = await queue.ListActivationsAsync(ct);
            if (activations.Count == 0)
            {
                await context.Out.WriteLineAsync("no running activations");
                return ExitCodes.Ok;
            }

            await WorkQueueCli.WriteTableAsync(
                context.Out,
                ["ID", "AGENT", "RUNNER", "TASK", "PRIORITY", "ATTEMPT", "CLAIMED", "LEASE UNTIL"],
                activations.Select(a => new[]
                {
                    a.ActivationId, a.AgentId, a.RunnerId, WorkQueueCli.Name(a.TaskType), WorkQueueCli.Name(a.Priority),
                    a.Attempt.ToString(CultureInfo.InvariantCulture), WorkQueueCli.Time(a.ClaimedAt), WorkQueueCli.Time(a.LeaseExpiresAt),
                }),
                ct);
            return ExitCodes.Ok;
        }, cancellationToken);

    private static Task<int> StopAsync(CliContext context, string id, CancellationToken cancellationToken)
        => WorkQueueCli.RunAsync(context, "activations stop", async (queue, ct) =>
        {
            if (!await queue.StopActivationAsync(id, ct))
            {
                await context.Error.WriteLineAsync($"no running activation '{id}' (see 'botburrow activations list')");
                return ExitCodes.Failure;
            }

            await context.Out.WriteLineAsync($"stopped activation '{id}': its runner cancels it at the next heartbeat");
            return ExitCodes.Ok;
        }, cancellationToken);
}
