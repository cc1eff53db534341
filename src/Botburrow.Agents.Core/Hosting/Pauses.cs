namespace Botburrow.Agents.Hosting;

/// <summary>Waits of the services' background loops that end quietly, returning false, when the service stops.</summary>
public static class Pauses
{
    /// <summary>Waits for the timer's next tick; false once <paramref name="cancellationToken"/> fires or the timer is disposed.</summary>
    public static async Task<bool> NextTickOrStopAsync(this PeriodicTimer timer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timer);
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Waits <paramref name="delay"/> on <paramref name="timeProvider"/>'s clock; false once <paramref name="cancellationToken"/> fires.</summary>
    public static async Task<bool> DelayOrStopAsync(this TimeProvider timeProvider, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        try
        {
            await Task.Delay(delay, timeProvider, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
