using Botburrow.Agents.Work;

namespace Botburrow.Agents.Coordinator;

/// <summary>
/// Whether this coordinator leads, shared by its loops. The leadership loop is the only writer
/// (<see cref="Gain"/>, <see cref="Lose()"/>); a loop that works for the leader waits with
/// <see cref="WaitForLeadershipAsync"/> and links <see cref="Token"/> into its calls, which is cancelled the moment
/// leadership is lost, so a long-poll in flight stops then instead of when it ends.
/// </summary>
public sealed class LeadershipState : IDisposable
{
    private readonly TimeProvider _timeProvider;
    private readonly Lock _lock = new();
    private LeaderLease? _lease;
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
            var lease = Volatile.Read(ref _lease);
            return lease is not null && lease.ExpiresAt > _timeProvider.GetUtcNow() ? lease : null;
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

    /// <summary>Records a lease acquired or renewed; true when this starts a new term (leadership gained or a new epoch).</summary>
    public bool Gain(LeaderLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        lock (_lock)
        {
            var previous = _lease;
            var continuing = previous is not null && previous.Epoch == lease.Epoch && !_term.IsCancellationRequested
                && previous.ExpiresAt > _timeProvider.GetUtcNow();
            Volatile.Write(ref _lease, lease);
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
            Volatile.Write(ref _lease, null);
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
        return Volatile.Read(ref _lease)?.Epoch == lease.Epoch && Lose();
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

    public void Dispose()
    {
        lock (_lock)
        {
            _term.Dispose();
        }
    }
}
