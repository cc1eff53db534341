using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Botburrow.Bench;

/// <summary>
/// A logger provider that timestamps (with <see cref="Stopwatch.GetTimestamp"/>) the named log events of the
/// in-process fleet as they are written, e.g. the runner's <c>activation_starting</c>: the moment an activation
/// starts, seen from the runner's side. Waiters register before the cause and get the timestamp.
/// </summary>
internal sealed class EventProbe : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _waiters = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _events;

    public EventProbe(params string[] events)
    {
        _events = new HashSet<string>(events, StringComparer.Ordinal);
    }

    /// <summary>Called for every watched event (name, agent id or empty, timestamp).</summary>
    public Action<string, string, long>? OnEvent { get; set; }

    /// <summary>Every watched event that carried a <c>FencingToken</c> field (the dev Hub's <c>hub_fenced_write</c>): token, method and path, timestamp.</summary>
    public ConcurrentQueue<(string Event, string FencingToken, string Detail, long At)> Fenced { get; } = new();

    public int Count(string eventName) => _counts.GetValueOrDefault(eventName);

    /// <summary>A task completed with the timestamp of the next <paramref name="eventName"/> for <paramref name="agentId"/>.</summary>
    public Task<long> Next(string eventName, string agentId = "")
        => _waiters.GetOrAdd(Key(eventName, agentId), _ => new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    public ILogger CreateLogger(string categoryName) => new ProbeLogger(this);

    public void Dispose()
    {
    }

    private static string Key(string eventName, string agentId) => eventName + "|" + agentId;

    private void Seen(string eventName, string agentId, string fencingToken, string detail)
    {
        var now = Stopwatch.GetTimestamp();
        if (fencingToken.Length > 0)
        {
            Fenced.Enqueue((eventName, fencingToken, detail, now));
        }

        _counts.AddOrUpdate(eventName, 1, (_, n) => n + 1);
        OnEvent?.Invoke(eventName, agentId, now);
        foreach (var key in new[] { Key(eventName, agentId), Key(eventName, "") })
        {
            if (_waiters.TryRemove(key, out var waiter))
            {
                waiter.TrySetResult(now);
            }
        }
    }

    private sealed class ProbeLogger(EventProbe probe) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (eventId.Name is not { } name || !probe._events.Contains(name))
            {
                return;
            }

            var agent = "";
            var fencingToken = "";
            var method = "";
            var path = "";
            if (state is IReadOnlyList<KeyValuePair<string, object?>> fields)
            {
                foreach (var (key, value) in fields)
                {
                    if (key == "AgentId")
                    {
                        agent = value?.ToString() ?? "";
                    }
                    else if (key == "FencingToken")
                    {
                        fencingToken = value?.ToString() ?? "";
                    }
                    else if (key == "Method")
                    {
                        method = value?.ToString() ?? "";
                    }
                    else if (key == "Path")
                    {
                        path = value?.ToString() ?? "";
                    }
                }
            }

            probe.Seen(name, agent, fencingToken, method + " " + path);
        }
    }
}
