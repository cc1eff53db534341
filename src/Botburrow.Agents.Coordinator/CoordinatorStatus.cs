namespace Botburrow.Agents.Coordinator;

/// <summary>
/// What the coordinator's loops last saw, for readiness and diagnostics: the last poll of the Hub that answered,
/// whether the Hub answers, whether agent definitions load, and which loop (if any) died.
/// </summary>
public sealed class CoordinatorStatus
{
    private readonly Lock _lock = new();
    private DateTimeOffset? _lastSuccessfulPoll;
    private bool _hubReachable = true;
    private string? _definitionsProblem;
    private string? _failedLoop;
    private long? _observedEpoch;
    private DateTimeOffset _observedTermSince;

    /// <summary>When a poll of the Hub (long-poll or listing) last answered; null before the first.</summary>
    public DateTimeOffset? LastSuccessfulPoll
    {
        get
        {
            lock (_lock)
            {
                return _lastSuccessfulPoll;
            }
        }
    }

    /// <summary>False after a poll failed because the Hub did not answer, until one succeeds.</summary>
    public bool HubReachable
    {
        get
        {
            lock (_lock)
            {
                return _hubReachable;
            }
        }
    }

    /// <summary>Why agent definitions cannot be loaded now (secrets masked); null while they load.</summary>
    public string? DefinitionsProblem
    {
        get
        {
            lock (_lock)
            {
                return _definitionsProblem;
            }
        }
    }

    /// <summary>The loop that stopped on an error it could not survive; the process is stopping.</summary>
    public string? FailedLoop
    {
        get
        {
            lock (_lock)
            {
                return _failedLoop;
            }
        }
    }

    /// <summary>
    /// How long the leader's poll loop has gone without a poll that answered: since the last one, or since this
    /// term of leadership was first observed (<paramref name="epoch"/>) when none answered during it.
    /// </summary>
    public TimeSpan PollAge(long epoch, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (_observedEpoch != epoch)
            {
                _observedEpoch = epoch;
                _observedTermSince = now;
            }

            var since = _lastSuccessfulPoll is { } last && last > _observedTermSince ? last : _observedTermSince;
            return now - since;
        }
    }

    internal void PollSucceeded(DateTimeOffset at)
    {
        lock (_lock)
        {
            _lastSuccessfulPoll = at;
            _hubReachable = true;
        }
    }

    internal void HubUnreachable()
    {
        lock (_lock)
        {
            _hubReachable = false;
        }
    }

    /// <summary>Records the latest definitions problem; true when definitions were loading until now.</summary>
    internal bool DefinitionsFailed(string problem)
    {
        lock (_lock)
        {
            var started = _definitionsProblem is null;
            _definitionsProblem = problem;
            return started;
        }
    }

    /// <summary>Clears the definitions problem; true when there was one.</summary>
    internal bool DefinitionsLoaded()
    {
        lock (_lock)
        {
            var had = _definitionsProblem is not null;
            _definitionsProblem = null;
            return had;
        }
    }

    internal void LoopFailed(string loop)
    {
        lock (_lock)
        {
            _failedLoop ??= loop;
        }
    }
}
