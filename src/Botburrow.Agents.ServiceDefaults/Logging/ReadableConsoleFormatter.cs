using System.Globalization;
using System.Text;
using Botburrow.Agents.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Botburrow.Agents.ServiceDefaults.Logging;

/// <summary>One readable line per event for people: time, level, event name, message and scope fields (URL secrets masked).</summary>
internal sealed class ReadableConsoleFormatter : ConsoleFormatter
{
    public const string FormatterName = "botburrow-console";

    private readonly TimeProvider _timeProvider;

    public ReadableConsoleFormatter(TimeProvider timeProvider)
        : base(FormatterName)
    {
        _timeProvider = timeProvider;
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var line = new StringBuilder();
        line.Append(_timeProvider.GetLocalNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture));
        line.Append(' ').Append(JsonLinesFormatter.LevelName(logEntry.LogLevel).PadRight(8));
        if (!string.IsNullOrEmpty(logEntry.EventId.Name))
        {
            line.Append(logEntry.EventId.Name).Append(": ");
        }

        line.Append(logEntry.Formatter(logEntry.State, logEntry.Exception));
        scopeProvider?.ForEachScope(
            (scope, builder) =>
            {
                if (scope is IEnumerable<KeyValuePair<string, object?>> fields)
                {
                    foreach (var (key, value) in fields)
                    {
                        if (key != "{OriginalFormat}")
                        {
                            builder.Append(' ').Append(key).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture));
                        }
                    }
                }
            },
            line);

        if (logEntry.Exception is not null)
        {
            line.Append('\n').Append(logEntry.Exception);
        }

        // A URL in the line (HUB_URL, a definitions repository, a base URL) never shows its secrets.
        textWriter.Write(SecretMasker.MaskUrls(line.Append('\n').ToString()));
    }
}
