using Botburrow.Agents.Configuration;
using Botburrow.Agents.ServiceDefaults.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;

namespace Microsoft.Extensions.Logging;

/// <summary>Sets up the process's logging from <c>LOG_LEVEL</c> and <c>LOG_FORMAT</c>.</summary>
public static class BotburrowLoggingExtensions
{
    /// <summary>
    /// JSON lines (or the readable console format) on standard error, so that standard output stays free for
    /// command output and the MCP stdio protocol.
    /// </summary>
    public static ILoggingBuilder AddBotburrowLogging(this ILoggingBuilder builder, BotburrowSettings settings, string? formatOverride = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        builder.ClearProviders();
        builder.SetMinimumLevel(settings.LogLevel);
        // The host's own chatter stays at Warning unless the operator asks for Debug or finer.
        if (settings.LogLevel > LogLevel.Debug)
        {
            builder.AddFilter("Microsoft", LogLevel.Warning);
            builder.AddFilter("System", LogLevel.Warning);
        }

        builder.Services.TryAddSingleton(TimeProvider.System);
        var format = formatOverride ?? settings.LogFormat;
        builder.AddConsole(options =>
        {
            options.FormatterName = format == "console" ? ReadableConsoleFormatter.FormatterName : JsonLinesFormatter.FormatterName;
            options.LogToStandardErrorThreshold = LogLevel.Trace;
        });
        builder.AddConsoleFormatter<JsonLinesFormatter, ConsoleFormatterOptions>();
        builder.AddConsoleFormatter<ReadableConsoleFormatter, ConsoleFormatterOptions>();
        builder.Services.Configure<ConsoleFormatterOptions>(JsonLinesFormatter.FormatterName, o => o.IncludeScopes = true);
        builder.Services.Configure<ConsoleFormatterOptions>(ReadableConsoleFormatter.FormatterName, o => o.IncludeScopes = true);
        return builder;
    }
}
