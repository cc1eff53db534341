namespace Botburrow.Agents.DevHub.Storage;

/// <summary>Wakes every waiting long-poll when a notification is written (in-process, no database polling).</summary>
internal sealed class NotificationSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Pulse"/>. Take it before checking the database, so no pulse is missed.</summary>
    public Task NextAsync() => Volatile.Read(ref _next).Task;

    public void Pulse()
    {
        var previous = Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        previous.TrySetResult();
    }
}
