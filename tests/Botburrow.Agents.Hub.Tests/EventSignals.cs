using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Hub.Tests;

/// <summary>A logger provider that lets a test wait for the first log event of a given name.</summary>
internal sealed class EventSignals : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _events = new(StringComparer.Ordinal);

    /// <summary>Completes when an event named <paramref name="eventName"/> is (or was) logged.</summary>
    public Task WhenLogged(string eventName) => Get(eventName).Task;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private TaskCompletionSource Get(string eventName) =>
        _events.GetOrAdd(eventName, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));

    private sealed class Logger(EventSignals owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name is { } name)
            {
                owner.Get(name).TrySetResult();
            }
        }
    }
}
