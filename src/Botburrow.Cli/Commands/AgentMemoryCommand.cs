using System.CommandLine;
using System.Globalization;
using Botburrow.Agents.Memory;
using Botburrow.Agents.Redis;

namespace Botburrow.Cli.Commands;

/// <summary>
/// <c>botburrow agents memory NAME [--search Q] [--forget ID | --clear]</c>: an agent's memories in the work store
/// (Redis with <c>REDIS_URL</c>, else the folder <c>botburrow up</c> keeps them in).
/// </summary>
internal sealed class AgentMemoryCommand : Command
{
    private const int Listed = 50;

    public AgentMemoryCommand()
        : base("memory", "Show an agent's memories (newest first, or the best matches of --search), forget one, or clear them all.")
    {
        var name = new Argument<string>("NAME") { Description = "The agent." };
        var search = new Option<string?>("--search") { Description = "Show the memories matching these words, best first (keyword search)." };
        var forget = new Option<string?>("--forget") { Description = "Forget the memory with this id." };
        var clear = new Option<bool>("--clear") { Description = "Forget all of the agent's memories." };
        var dataDirectory = new Option<DirectoryInfo?>("--data-dir") { Description = "Without REDIS_URL: the folder 'botburrow up' keeps its data in (default ./.botburrow)." };
        Arguments.Add(name);
        Options.Add(search);
        Options.Add(forget);
        Options.Add(clear);
        Options.Add(dataDirectory);
        SetAction((parseResult, cancellationToken) => CliContext.RunAsync(
            parseResult,
            null,
            (context, ct) => RunAsync(context, parseResult.GetValue(name)!, parseResult.GetValue(search), parseResult.GetValue(forget), parseResult.GetValue(clear), parseResult.GetValue(dataDirectory), ct),
            cancellationToken));
    }

    private static async Task<int> RunAsync(CliContext context, string agent, string? search, string? forget, bool clear, DirectoryInfo? dataDirectory, CancellationToken cancellationToken)
    {
        if ((forget is not null ? 1 : 0) + (clear ? 1 : 0) + (search is not null ? 1 : 0) > 1)
        {
            await context.Error.WriteLineAsync("agents memory: give at most one of --search, --forget and --clear");
            return ExitCodes.UsageError;
        }

        if (string.IsNullOrWhiteSpace(agent) || agent.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || agent.Contains("..", StringComparison.Ordinal) || agent.Contains(':', StringComparison.Ordinal))
        {
            await context.Error.WriteLineAsync(TerminalText.Escape($"agents memory: '{agent}' is not an agent name", keepLineBreaks: false));
            return ExitCodes.UsageError;
        }

        if (context.Settings.RedisUrl is null)
        {
            var folder = Path.Combine(dataDirectory?.FullName ?? Path.Combine(Environment.CurrentDirectory, ".botburrow"), "memory");
            return await ActAsync(context, new EmbeddedAgentMemoryStore(folder), agent, search, forget, clear, $"in {folder} (REDIS_URL is not set)", cancellationToken);
        }

        return await WorkQueueCli.RunAsync(context, "agents memory", async (_, ct) =>
        {
            await using var connection = await RedisConnection.ConnectAsync(context.Settings.RedisUrl, retryFor: TimeSpan.FromSeconds(5));
            return await ActAsync(context, new RedisAgentMemoryStore(connection, new RedisKeys()), agent, search, forget, clear, "in Redis", ct);
        }, cancellationToken);
    }

    private static async Task<int> ActAsync(CliContext context, IAgentMemoryStore store, string agent, string? search, string? forget, bool clear, string where, CancellationToken cancellationToken)
    {
        if (forget is not null)
        {
            if (!await store.ForgetAsync(agent, forget, cancellationToken))
            {
                await context.Error.WriteLineAsync(TerminalText.Escape($"agent '{agent}' has no memory '{forget}' {where}", keepLineBreaks: false));
                return ExitCodes.Failure;
            }

            await context.Out.WriteLineAsync(TerminalText.Escape($"Forgot memory {forget} of agent '{agent}'.", keepLineBreaks: false));
            return ExitCodes.Ok;
        }

        if (clear)
        {
            var count = await store.ClearAsync(agent, cancellationToken);
            await context.Out.WriteLineAsync(TerminalText.Escape($"Cleared {count.ToString(CultureInfo.InvariantCulture)} memories of agent '{agent}'.", keepLineBreaks: false));
            return ExitCodes.Ok;
        }

        var size = await store.SizeAsync(agent, cancellationToken);
        IReadOnlyList<ScoredMemory> shown = search is null
            ? [.. (await store.RecentAsync(agent, Listed, cancellationToken)).Select(m => new ScoredMemory(m, 0))]
            : await store.SearchKeywordAsync(agent, search, Listed, cancellationToken);
        await context.Out.WriteLineAsync(TerminalText.Escape($"Agent '{agent}': {size.ToString(CultureInfo.InvariantCulture)} bytes of memories {where}.", keepLineBreaks: false));
        if (shown.Count == 0)
        {
            await context.Out.WriteLineAsync(search is null ? "No memories." : "No memory matches.");
            return ExitCodes.Ok;
        }

        var header = search is null ? new[] { "ID", "CREATED", "KIND", "WITH", "TEXT" } : ["ID", "SCORE", "CREATED", "KIND", "WITH", "TEXT"];
        var rows = shown.Select(hit =>
        {
            var m = hit.Memory;
            string[] cells = [m.Id, WorkQueueCli.Time(m.CreatedAt), m.Kind.ToString().ToLowerInvariant(), m.Subject ?? "-", Cut(m.Text)];
            return search is null ? cells : [cells[0], hit.Score.ToString("0.00", CultureInfo.InvariantCulture), .. cells[1..]];
        });
        await WorkQueueCli.WriteTableAsync(context.Out, header, rows, cancellationToken);
        return ExitCodes.Ok;
    }

    private static string Cut(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length <= 100 ? line : line[..99] + "…";
    }
}
