using System.CommandLine;
using System.Globalization;
using Botburrow.Agents.Work;

namespace Botburrow.Cli.Commands;

/// <summary><c>botburrow queue stats</c>: queue depths and ages, active runs, backoff, dead letters and live runners.</summary>
internal sealed class QueueCommand : Command
{
    public QueueCommand()
        : base("queue", "Inspect the work queues (REDIS_URL required).")
    {
        var stats = new Command("stats", "Print queue depths, oldest item ages, active activations, backoff, dead letters and live runners.");
        stats.SetAction((parseResult, cancellationToken) => CliContext.RunAsync(parseResult, null, StatsAsync, cancellationToken));
        Subcommands.Add(stats);
    }

    private static Task<int> StatsAsync(CliContext context, CancellationToken cancellationToken)
        => WorkQueueCli.RunAsync(context, "queue stats", async (queue, ct) =>
        {
            var stats = await queue.GetStatsAsync(ct);
            var leader = await queue.GetLeaderAsync(ct);
            WorkPriority[] priorities = [WorkPriority.High, WorkPriority.Normal, WorkPriority.Low];
            await WorkQueueCli.WriteTableAsync(
                context.Out,
                ["QUEUE", "DEPTH", "OLDEST"],
                priorities.Select(p => new[]
                {
                    "work:queue:" + WorkQueueCli.Name(p),
                    stats.Depths[p].ToString(CultureInfo.InvariantCulture),
                    stats.OldestAge.TryGetValue(p, out var age) ? WorkQueueCli.Seconds(age) : "-",
                }),
                ct);
            await context.Out.WriteLineAsync();
            await WorkQueueCli.WriteTableAsync(
                context.Out,
                ["ACTIVE", "FOLLOW-UPS", "IN BACKOFF", "DEAD", "LEADER", "EPOCH"],
                [[
                    stats.Active.ToString(CultureInfo.InvariantCulture),
                    stats.FollowUps.ToString(CultureInfo.InvariantCulture),
                    stats.InBackoff.ToString(CultureInfo.InvariantCulture),
                    stats.Dead.ToString(CultureInfo.InvariantCulture),
                    leader.InstanceId ?? "(none)",
                    leader.Epoch.ToString(CultureInfo.InvariantCulture),
                ]],
                ct);
            await context.Out.WriteLineAsync();
            if (stats.Runners.Count == 0)
            {
                await context.Out.WriteLineAsync("no live runners");
            }
            else
            {
                await WorkQueueCli.WriteTableAsync(
                    context.Out,
                    ["RUNNER", "MODE", "IN FLIGHT", "CONCURRENCY", "LAST SEEN"],
                    stats.Runners.Select(r => new[]
                    {
                        r.RunnerId, r.Mode, r.InFlight.ToString(CultureInfo.InvariantCulture), r.Concurrency.ToString(CultureInfo.InvariantCulture), WorkQueueCli.Time(r.LastSeenAt),
                    }),
                    ct);
            }

            return ExitCodes.Ok;
        }, cancellationToken);
}
