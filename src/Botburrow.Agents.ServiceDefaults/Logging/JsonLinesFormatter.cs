using System.Text.Encodings.Web;
using System.Text.Json;
using Botburrow.Agents.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace Botburrow.Agents.ServiceDefaults.Logging;

/// <summary>
/// One JSON object per line: <c>timestamp</c>, <c>level</c>, <c>event</c> (the <see cref="EventId"/> name),
/// <c>category</c>, <c>message</c>, then the message's fields and every scope field (<c>agent_id</c>,
/// <c>runner_id</c>, <c>activation_id</c>…) at the top level, and <c>exception</c> when there is one. Field names
/// are snake_case whatever the message template or scope spells them (<c>{ActivationDuration}</c> is written as
/// <c>activation_duration</c>), so the guide's <c>grep "activation_duration"</c> finds them. Secrets in URLs
/// (userinfo, secret-looking query parameters) are masked everywhere in the line.
/// </summary>
internal sealed class JsonLinesFormatter : ConsoleFormatter
{
    public const string FormatterName = "botburrow-json";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> FieldNames = new(StringComparer.Ordinal);

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly TimeProvider _timeProvider;

    public JsonLinesFormatter(TimeProvider timeProvider)
        : base(FormatterName)
    {
        _timeProvider = timeProvider;
    }

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        // A URL in a message or field (HUB_URL, a definitions repository, a base URL) never shows its secrets.
        var message = SecretMasker.MaskUrls(logEntry.Formatter(logEntry.State, logEntry.Exception));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("timestamp", _timeProvider.GetUtcNow().ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("level", LevelName(logEntry.LogLevel));
            writer.WriteString("event", string.IsNullOrEmpty(logEntry.EventId.Name) ? ToSnakeCase(logEntry.Category) : logEntry.EventId.Name);
            writer.WriteString("category", logEntry.Category);
            writer.WriteString("message", message);

            var written = new HashSet<string>(StringComparer.Ordinal) { "timestamp", "level", "event", "category", "message", "exception" };
            if (logEntry.State is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                WriteFields(writer, fields, written);
            }

            scopeProvider?.ForEachScope(
                (scope, state) =>
                {
                    if (scope is IEnumerable<KeyValuePair<string, object?>> scopeFields)
                    {
                        WriteFields(state.Writer, scopeFields, state.Written);
                    }
                },
                (Writer: writer, Written: written));

            if (logEntry.Exception is not null)
            {
                writer.WriteString("exception", SecretMasker.MaskUrls(logEntry.Exception.ToString()));
            }

            writer.WriteEndObject();
        }

        textWriter.Write(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length));
        textWriter.Write('\n');
    }

    internal static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Trace => "trace",
        LogLevel.Debug => "debug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warning",
        LogLevel.Error => "error",
        LogLevel.Critical => "critical",
        _ => "none",
    };

    private static void WriteFields(Utf8JsonWriter writer, IEnumerable<KeyValuePair<string, object?>> fields, HashSet<string> written)
    {
        foreach (var (key, value) in fields)
        {
            if (key == "{OriginalFormat}")
            {
                continue;
            }

            var name = FieldName(key);
            if (!written.Add(name))
            {
                continue;
            }

            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case bool b:
                writer.WriteBooleanValue(b);
                break;
            case int or long or short or byte or uint or ulong or ushort:
                writer.WriteNumberValue(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case double d when double.IsFinite(d):
                writer.WriteNumberValue(d);
                break;
            case float f when float.IsFinite(f):
                writer.WriteNumberValue(f);
                break;
            case decimal m:
                writer.WriteNumberValue(m);
                break;
            case TimeSpan t:
                writer.WriteNumberValue(Math.Round(t.TotalSeconds, 3));
                break;
            case DateTimeOffset dto:
                writer.WriteStringValue(dto.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
                break;
            case string s:
                writer.WriteStringValue(SecretMasker.MaskUrls(s));
                break;
            case System.Collections.IEnumerable items:
                writer.WriteStartArray();
                foreach (var item in items)
                {
                    WriteValue(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteStringValue(SecretMasker.MaskUrls(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""));
                break;
        }
    }

    /// <summary>A structured field's name as written: snake_case (<c>ActivationDuration</c> → <c>activation_duration</c>, <c>agent_id</c> stays).</summary>
    internal static string FieldName(string key) => FieldNames.GetOrAdd(key, static k => JsonNamingPolicy.SnakeCaseLower.ConvertName(k));

    private static string ToSnakeCase(string category)
    {
        var last = category.LastIndexOf('.');
        var name = last >= 0 ? category[(last + 1)..] : category;
        return JsonNamingPolicy.SnakeCaseLower.ConvertName(name);
    }
}
