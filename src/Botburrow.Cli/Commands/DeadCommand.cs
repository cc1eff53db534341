using System.CommandLine;
using System.Globalization;

namespace Botburrow.Cli.Commands;

/// <summary><c>botburrow dead list|requeue ID</c>: work items that exhausted their attempts (<c>work:dead</c>).</summary>
internal sealed class DeadCommand : Command
{
    public DeadCommand()
        : base("dead", "List or requeue dead letters (REDIS_URL required).")
    {
        var list = new Command("list", "List items that exhausted MAX_ATTEMPTS, with their last error.");
        list.SetAction((parseResult, cancellationToken) => CliContext.RunAsync(parseResult, null, ListAsync, cancellationToken));
        var id = new Argument<string>("ID") { Description = "The dead letter's id (from 'dead list')." };
        var requeue = new Command("requeue", "Put a dead letter back in its queue with attempt 1.") { id };
        requeue.SetAction((parseResult, cancellationToken) => CliContext.RunAsync(
            parseResult,
            null,
            (context, ct) => RequeueAsync(context, parseResult.GetValue(id)!, ct),
            cancellationToken));
        Subcommands.Add(list);
        Subcommands.Add(requeue);
    }

    private static Task<int> ListAsync(CliContext context, CancellationToken cancellationToken)
        => WorkQueueCli.RunAsync(context, "dead list", async (queue, ct) =>
        {
            var dead = await queue.ListDeadAsync(ct);
            if (dead.Count == 0)
            {
                await context.Out.WriteLineAsync("no dead letters");
                return ExitCodes.Ok;
            }

            await WorkQueueCli.WriteTableAsync(
                context.Out,
                ["ID", "AGENT", "TASK", "PRIORITY", "ATTEMPTS", "DEAD AT", "LAST ERROR"],
                dead.Select(d => new[]
                {
                    d.Id, d.Item.AgentId, WorkQueueCli.Name(d.Item.TaskType), WorkQueueCli.Name(d.Item.Priority),
                    d.Item.Attempt.ToString(CultureInfo.InvariantCulture), WorkQueueCli.Time(d.DeadAt), d.LastError ?? "-",
                }),
                ct);
            return ExitCodes.Ok;
        }, cancellationToken);

    private static Task<int> RequeueAsync(CliContext context, string id, CancellationToken cancellationToken)
        => WorkQueueCli.RunAsync(context, "dead requeue", async (queue, ct) =>
        {
            if (!await queue.RequeueDeadAsync(id, ct))
            {
                await context.Error.WriteLineAsync($"no dead letter '{id}' (see 'botburrow dead list')");
                return ExitCodes.Failure;
            }

            await context.Out.WriteLineAsync($"requeued dead letter '{id}' with attempt 1");
            return ExitCodes.Ok;
        }, cancellationToken);
}
