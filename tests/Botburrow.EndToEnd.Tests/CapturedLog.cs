using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Botburrow.EndToEnd.Tests;

/// <summary>One log event: its name and structured values.</summary>
public sealed record LogEvent(string Name, IReadOnlyDictionary<string, string?> Values, long Sequence)
{
    public string? this[string key] => Values.TryGetValue(key, out var value) ? value : null;
}

/// <summary>Collects every log event of an in-process host, in order.</summary>
public sealed class CapturedLog : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEvent> _events = new();
    private long _sequence;

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public IReadOnlyList<LogEvent> Named(string name) => [.. _events.Where(e => e.Name == name)];

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLog owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (string.IsNullOrEmpty(eventId.Name))
            {
                return;
            }

            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    values[key] = value?.ToString();
                }
            }

            owner._events.Enqueue(new LogEvent(eventId.Name, values, Interlocked.Increment(ref owner._sequence)));
        }
    }
}
