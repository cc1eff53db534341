using System.Globalization;
using Botburrow.Agents.Work;

namespace Botburrow.Agents.Runner;

/// <summary>
/// The lease of a claimed activation as this runner holds it, fed by the heartbeat loop. The local check (time
/// since the start of the last successful renewal, on the monotonic clock, below the lease minus a safety margin)
/// costs nothing and catches a process that was paused; an irreversible effect also asks the work store whether
/// the record is still this runner's with this fencing token. A lapse also fires on its own (a timer at the
/// local deadline), so a runner woken from a pause cancels the activation before anything else runs. Once lost,
/// a lease stays lost.
/// </summary>
internal sealed class HeldLease : IActivationLease, IDisposable
{
    private readonly IWorkQueue _queue;
    private readonly TimeProvider _time;
    private readonly TimeSpan _valid;
    private readonly Action<HeldLease, LeaseState, string> _onLost;
    private readonly ITimer? _watchdog;
    private long _renewedAt;
    private string? _lost;

    public HeldLease(ClaimedWork work, IWorkQueue queue, TimeSpan leaseDuration, TimeSpan safetyMargin, long claimStartedAt, TimeProvider time, Action<HeldLease, LeaseState, string> onLost)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(leaseDuration - safetyMargin, TimeSpan.Zero, nameof(safetyMargin));
        Work = work;
        _queue = queue;
        _time = time;
        _valid = leaseDuration - safetyMargin;
        _onLost = onLost;
        _renewedAt = claimStartedAt;
        _watchdog = time.CreateTimer(static s => ((HeldLease)s!).CheckLocal(), this, Remaining(), Timeout.InfiniteTimeSpan);
    }

    public ClaimedWork Work { get; }

    public string FencingToken => Work.FencingToken.ToString(CultureInfo.InvariantCulture);

    /// <summary>Why the lease was lost, or null while it is held.</summary>
    public string? LostReason => Volatile.Read(ref _lost);

    /// <summary>
    /// Records a successful renewal. <paramref name="sentAt"/> is when the renewal was sent (not when its answer
    /// came): the server extended the lease no earlier than that.
    /// </summary>
    public void Renewed(long sentAt)
    {
        long seen;
        do
        {
            seen = Volatile.Read(ref _renewedAt);
            if (sentAt <= seen)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _renewedAt, sentAt, seen) != seen);

        if (LostReason is null)
        {
            _watchdog?.Change(Remaining(), Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>The local check: null while the last renewal is recent enough, otherwise why the lease is lost.</summary>
    public string? CheckLocal()
    {
        if (LostReason is { } lost)
        {
            return lost;
        }

        var age = _time.GetElapsedTime(Volatile.Read(ref _renewedAt));
        if (age < _valid)
        {
            _watchdog?.Change(Remaining(), Timeout.InfiniteTimeSpan);
            return null;
        }

        return Lose(LeaseState.Expired, string.Create(CultureInfo.InvariantCulture, $"not renewed for {age.TotalSeconds:0.###} s (the lease is trusted for {_valid.TotalSeconds:0.###} s)"));
    }

    public async ValueTask<string?> CheckAsync(bool irreversible, CancellationToken cancellationToken)
    {
        if (CheckLocal() is { } local)
        {
            return local;
        }

        if (!irreversible)
        {
            return null;
        }

        LeaseState state;
        using (var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            // Not longer than the lease can still be trusted: an answer after that would be too late anyway.
            deadline.CancelAfter(Remaining() + TimeSpan.FromMilliseconds(1));
            try
            {
                state = await _queue.CheckLeaseAsync(Work, deadline.Token);
            }
            catch (Exception ex) when (ex is WorkQueueUnavailableException or TimeoutException
                || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                // Unconfirmed: refuse this effect; the local check ends the lease when it lapses.
                return "the lease could not be confirmed: " + ex.Message;
            }
        }

        if (state != LeaseState.Held)
        {
            return Lose(state, Describe(state));
        }

        // A pause during the round trip is caught here.
        return CheckLocal();
    }

    /// <summary>Marks the lease lost (once) and tells the runner; returns the reason it was lost for.</summary>
    public string Lose(LeaseState state, string reason)
    {
        if (Interlocked.CompareExchange(ref _lost, reason, null) is { } earlier)
        {
            return earlier;
        }

        _watchdog?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _onLost(this, state, reason);
        return reason;
    }

    public static string Describe(LeaseState state) => state switch
    {
        LeaseState.Expired => "the lease expired in the work store",
        LeaseState.TakenOver => "the work was claimed again by another runner (fencing token changed)",
        LeaseState.StoppedByOperator => "stopped by an operator (its activation record was deleted)",
        LeaseState.Gone => "the work was reclaimed (record and lease gone)",
        _ => "held",
    };

    public void Dispose() => _watchdog?.Dispose();

    private TimeSpan Remaining()
    {
        var left = _valid - _time.GetElapsedTime(Volatile.Read(ref _renewedAt));
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }
}
