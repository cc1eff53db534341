using Botburrow.Agents.Work;

namespace Botburrow.Agents.Runner;

/// <summary>Why a running activation's token was cancelled.</summary>
internal enum StopReason
{
    None,
    Timeout,
    StoppedByOperator,
    HandBack,

    /// <summary>The lease lapsed or was taken over: the run stops at once, posts nothing and is not completed.</summary>
    LeaseLost,
}

/// <summary>An activation this runner is running, with the means to stop it.</summary>
internal sealed class RunningActivation : IDisposable
{
    private int _reason;

    public RunningActivation(ClaimedWork work, TimeSpan timeout, TimeProvider timeProvider)
    {
        Work = work;
        Cancellation = new CancellationTokenSource();
        Timeout = new CancellationTokenSource(timeout, timeProvider);
        Linked = CancellationTokenSource.CreateLinkedTokenSource(Cancellation.Token, Timeout.Token);
    }

    public ClaimedWork Work { get; }

    /// <summary>The lease the activation runs under (set right after the claim).</summary>
    public HeldLease? Lease { get; set; }

    public CancellationToken Token => Linked.Token;

    public StopReason Reason => Timeout.IsCancellationRequested && _reason == 0 ? StopReason.Timeout : (StopReason)_reason;

    private CancellationTokenSource Cancellation { get; }

    private CancellationTokenSource Timeout { get; }

    private CancellationTokenSource Linked { get; }

    public void Stop(StopReason reason)
    {
        if (Interlocked.CompareExchange(ref _reason, (int)reason, 0) == 0)
        {
            Cancellation.Cancel();
        }
    }

    public void Dispose()
    {
        Linked.Dispose();
        Timeout.Dispose();
        Cancellation.Dispose();
    }
}
