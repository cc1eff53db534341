using System.Globalization;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Redis;
using Botburrow.Agents.Work;

namespace Botburrow.Cli.Commands;

/// <summary>What the operations verbs share: a Redis work queue from the settings, and plain text tables.</summary>
internal static class WorkQueueCli
{
    /// <summary>Connects to <c>REDIS_URL</c> (required for <paramref name="verb"/>) and runs the action; an unreachable Redis is one line naming the masked URL and exit code 1.</summary>
    public static async Task<int> RunAsync(CliContext context, string verb, Func<RedisWorkQueue, CancellationToken, Task<int>> action, CancellationToken cancellationToken)
    {
        context.Settings.Require(SettingNames.RedisUrl, verb);
        try
        {
            await using var connection = await RedisConnection.ConnectAsync(context.Settings.RedisUrl!, retryFor: TimeSpan.FromSeconds(5));
            var queue = new RedisWorkQueue(connection, WorkQueueOptions.FromSettings(context.Settings));
            return await action(queue, cancellationToken);
        }
        catch (ArgumentException ex)
        {
            await context.Error.WriteLineAsync(ex.Message);
            return ExitCodes.UsageError;
        }
        catch (WorkQueueUnavailableException ex)
        {
            await context.Error.WriteLineAsync(ex.Message);
            return ExitCodes.Failure;
        }
    }

    /// <summary>Writes rows as left-aligned columns under a header; cells (errors may quote posts) are escaped for the terminal.</summary>
    public static async Task WriteTableAsync(TextWriter output, string[] header, IEnumerable<string[]> rows, CancellationToken cancellationToken)
    {
        var all = new List<string[]> { header };
        all.AddRange(rows.Select(row => row.Select(cell => TerminalText.Escape(cell, keepLineBreaks: false)).ToArray()));
        var widths = header.Select((_, i) => all.Max(r => r[i].Length)).ToArray();
        foreach (var row in all)
        {
            var line = string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i])));
            await output.WriteLineAsync(line.TrimEnd().AsMemory(), cancellationToken);
        }
    }

    public static string Time(DateTimeOffset? time) => time is { } t && t != default ? t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "-";

    public static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";

    public static string Name<T>(T value)
        where T : struct, Enum
        => value.ToString().ToLowerInvariant();
}
