using Botburrow.Agents.Work;

namespace Botburrow.Agents.Coordinator;

/// <summary>
/// Whether this coordinator leads, shared by its loops. The leadership loop is the only writer
/// (<see cref="Gain"/>, <see cref="Lose()"/>); a loop that works for the leader waits with
/// <see cref="WaitForLeadershipAsync"/> and links <see cref="Token"/> into its calls, which is cancelled the moment
/// leadership is lost, so a long-poll in flight stops then instead of when it ends.
/// A lease counts as held only while the attempt that obtained it started less than the lease duration ago on this
/// process's monotonic clock (<see cref="TimeProvider.GetTimestamp"/>), and before the expiry the work store reported:
/// a renewal that hangs, or a store whose clock runs ahead, cannot stretch the term.
/// </summary>
public sealed class LeadershipState : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private LeaderLease? _lease;
    private long _requestedAt;
    private TimeSpan _duration;
    private CancellationTokenSource _term = new();
    private TaskCompletionSource _gained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public LeadershipState(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _timeProvider = timeProvider;
        _term.Cancel();
    }

    /// <summary>True while this instance holds an unexpired leader lease.</summary>
    public bool IsLeader => Lease is not null;

    /// <summary>The fencing epoch of the lease held, if any.</summary>
    public long? Epoch => Lease?.Epoch;

    /// <summary>The lease held, or null when none is held or it has expired.</summary>
    public LeaderLease? Lease
    {
        get
        {
            lock (_lock)
            {
                return Holds(_lease) ? _lease : null;
            }
        }
    }

    /// <summary>Cancelled when the current term of leadership ends (already cancelled while not leading).</summary>
    public CancellationToken Token
    {
        get
        {
            lock (_lock)
            {
                return _term.Token;
            }
        }
    }

    /// <summary>How long the lease held stays valid on the monotonic clock (zero when none is held).</summary>
    public TimeSpan Remaining
    {
        get
        {
            lock (_lock)
            {
                if (!Holds(_lease))
                {
                    return TimeSpan.Zero;
                }

                var local = _duration - _timeProvider.GetElapsedTime(_requestedAt);
                var reported = _lease!.ExpiresAt - _timeProvider.GetUtcNow();
                return local < reported ? local : reported;
            }
        }
    }

    /// <summary>
    /// Records a lease acquired or renewed by an attempt that started at <paramref name="requestedAt"/>
    /// (<see cref="TimeProvider.GetTimestamp"/>) for <paramref name="duration"/>; true when this starts a new term
    /// (leadership gained or a new epoch).
    /// </summary>
    public bool Gain(LeaderLease lease, long requestedAt, TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            var previous = _lease;
            var continuing = previous is not null && previous.Epoch == lease.Epoch && !_term.IsCancellationRequested && Holds(previous);
            _lease = lease;
            _requestedAt = requestedAt;
            _duration = duration;
            if (continuing)
            {
                return false;
            }

            // The ended term's source is cancelled but not disposed: a loop may still be linking to its token.
            _term.Cancel();
            _term = new CancellationTokenSource();
            _gained.TrySetResult();
            return true;
        }
    }

    /// <summary>Ends the current term (lease lost, expired, refused or released); true when a term was running.</summary>
    public bool Lose()
    {
        CancellationTokenSource ended;
        lock (_lock)
        {
            _lease = null;
            if (_term.IsCancellationRequested)
            {
                return false;
            }

            ended = _term;
            _gained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        // Outside the lock: cancellation runs the callbacks of the calls it stops.
        ended.Cancel();
        return true;
    }

    /// <summary>Ends the term of <paramref name="lease"/> only if it is still the one held (a write refused for its epoch).</summary>
    public bool Lose(LeaderLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            if (_lease?.Epoch != lease.Epoch)
            {
                return false;
            }
        }

        return Lose();
    }

    /// <summary>Returns once this instance leads (at once if it does); false when <paramref name="cancellationToken"/> fires first.</summary>
    public async Task<bool> WaitForLeadershipAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Task gained;
            lock (_lock)
            {
                if (IsLeader && !_term.IsCancellationRequested)
                {
                    return true;
                }

                gained = _gained.Task;
                if (gained.IsCompleted)
                {
                    // The lease expired without the leadership loop noticing yet: it will either renew or Lose().
                    _gained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    gained = _gained.Task;
                }
            }

            try
            {
                await gained.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="lease"/> (the one recorded, under the lock) is still within both its local and its reported expiry.</summary>
    private bool Holds(LeaderLease? lease)
        => lease is not null && _timeProvider.GetElapsedTime(_requestedAt) < _duration && lease.ExpiresAt > _timeProvider.GetUtcNow();

    public void Dispose()
    {
        lock (_lock)
        {
            _term.Dispose();
        }
    }
}
