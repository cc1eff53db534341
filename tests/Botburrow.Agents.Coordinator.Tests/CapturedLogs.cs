using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Coordinator.Tests;

/// <summary>One log entry as the coordinator wrote it, with the exception it passed.</summary>
internal sealed record CapturedLog(string Category, string Event, LogLevel Level, string Message, Exception? Exception);

/// <summary>Keeps every entry (Debug and up) so a test can assert on event names, levels and exceptions.</summary>
internal sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<CapturedLog> Entries { get; } = new();

    public IEnumerable<CapturedLog> Named(string eventName) => Entries.Where(e => e.Event == eventName);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturedLogs owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner.Entries.Enqueue(new CapturedLog(category, eventId.Name ?? "", logLevel, formatter(state, exception), exception));
    }
}
