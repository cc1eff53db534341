namespace Botburrow.Agents.Work;

/// <summary>
/// A broadcast wake-up for idle claimers: <see cref="Set"/> releases every current waiter. A wake-up that comes
/// between a failed claim and the wait is caught by the caller's poll backstop (<c>maxWait</c>).
/// </summary>
public sealed class WorkSignal
{
    private TaskCompletionSource _current = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set()
    {
        var previous = Interlocked.Exchange(ref _current, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }

    /// <summary>Waits for the next <see cref="Set"/> or until <paramref name="maxWait"/> passes (measured with <paramref name="timeProvider"/>).</summary>
    public async Task WaitAsync(TimeSpan maxWait, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var task = Volatile.Read(ref _current).Task;
        try
        {
            await task.WaitAsync(maxWait, timeProvider, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }
}
