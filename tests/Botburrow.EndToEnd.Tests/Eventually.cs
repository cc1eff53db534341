using System.Diagnostics;
using Botburrow.Agents.Testing;

namespace Botburrow.EndToEnd.Tests;

/// <summary>Polling with a deadline: the only way these tests wait for something to happen.</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where T : class
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TestConstants.DefaultTimeout;
        while (true)
        {
            if (await probe() is { } value)
            {
                return value;
            }

            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds} s waiting for {what}");
            }

            await Task.Delay(100, cancellationToken);
        }
    }

    public static async Task WaitAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => await WaitAsync<object>(async () => await condition() ? new object() : null, what, timeout, cancellationToken);

    public static Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        => WaitAsync(() => Task.FromResult(condition()), what, timeout, cancellationToken);

    /// <summary>
    /// Watches <paramref name="invariant"/> for <paramref name="window"/> (several coordinator poll rounds) and
    /// returns early when it breaks: the way to give something that must not happen a chance to happen.
    /// </summary>
    public static async Task HoldsAsync(Func<bool> invariant, TimeSpan window, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < window && invariant())
        {
            await Task.Delay(100, cancellationToken);
        }
    }
}
