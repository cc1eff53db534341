using Xunit;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Testing;

/// <summary>A logger provider that keeps every entry: event name and formatted message.</summary>
public sealed class LogCapture : ILoggerProvider
{
    public ConcurrentQueue<(string Event, LogLevel Level, string Message)> Entries { get; } = new();

    public ILoggerFactory Factory()
        => LoggerFactory.Create(b =>
        {
            b.SetMinimumLevel(LogLevel.Debug);
            b.AddProvider(this);
        });

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    public async Task<(string Event, LogLevel Level, string Message)> WaitForAsync(Func<(string Event, LogLevel Level, string Message), bool> match)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TestConstants.DefaultTimeout)
        {
            foreach (var entry in Entries)
            {
                if (match(entry))
                {
                    return entry;
                }
            }

            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException("no matching log entry; got: " + string.Join(" | ", Entries.Select(e => e.Event + ": " + e.Message)));
    }

    private sealed class Logger(LogCapture owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => owner.Entries.Enqueue((eventId.Name ?? "", logLevel, formatter(state, exception)));
    }
}
