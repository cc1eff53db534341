using System.CommandLine;
using System.Globalization;
using Botburrow.Agents.Redis;
using Botburrow.Agents.Work;

namespace Botburrow.Cli.Commands;

/// <summary><c>botburrow activations list|stop ID</c>: running activations; stopping one deletes <c>activation:{id}</c>.</summary>
internal sealed class ActivationsCommand : Command
{
    public ActivationsCommand()
        : base("activations", "List or stop running activations (REDIS_URL required), or show one's transcript.")
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
        var showId = new Argument<string>("ID") { Description = "The activation id (from 'activations list' or the logs)." };
        var dataDirectory = new Option<DirectoryInfo?>("--data-dir") { Description = "Without REDIS_URL: the folder 'botburrow up' keeps its data in (default ./.botburrow)." };
        var show = new Command("show", "Show an activation's transcript: messages, tool calls and results, usage and outcome (kept 7 days).") { showId, dataDirectory };
        show.SetAction((parseResult, cancellationToken) => CliContext.RunAsync(
            parseResult,
            null,
            (context, ct) => ShowAsync(context, parseResult.GetValue(showId)!, parseResult.GetValue(dataDirectory), ct),
            cancellationToken));
        Subcommands.Add(list);
        Subcommands.Add(stop);
        Subcommands.Add(show);
    }

    private static async Task<int> ShowAsync(CliContext context, string id, DirectoryInfo? dataDirectory, CancellationToken cancellationToken)
    {
        if (context.Settings.RedisUrl is null)
        {
            var folder = Path.Combine(dataDirectory?.FullName ?? Path.Combine(Environment.CurrentDirectory, ".botburrow"), "transcripts");
            var transcript = await new EmbeddedTranscriptStore(folder).GetAsync(id, cancellationToken);
            return await PrintAsync(context, id, transcript, $"in {folder} (REDIS_URL is not set)");
        }

        return await WorkQueueCli.RunAsync(context, "activations show", async (_, ct) =>
        {
            await using var connection = await RedisConnection.ConnectAsync(context.Settings.RedisUrl, retryFor: TimeSpan.FromSeconds(5));
            var transcript = await new RedisTranscriptStore(connection, new RedisKeys()).GetAsync(id, ct);
            return await PrintAsync(context, id, transcript, "in Redis");
        }, cancellationToken);
    }

    private static async Task<int> PrintAsync(CliContext context, string id, ActivationTranscript? transcript, string where)
    {
        if (transcript is null)
        {
            await context.Error.WriteLineAsync(TerminalText.Escape($"no transcript of activation '{id}' {where}: it never ran here, or its transcript expired (kept 7 days)", keepLineBreaks: false));
            return ExitCodes.Failure;
        }

        // Transcripts quote posts, model output and tool results: what a terminal would obey is shown, not run.
        foreach (var line in TranscriptText.Lines(transcript))
        {
            await context.Out.WriteLineAsync(TerminalText.Escape(line));
        }

        return ExitCodes.Ok;
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
