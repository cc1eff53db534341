using Botburrow.Agents.Work;

namespace Botburrow.Agents.Testing;

/// <summary>An activation lease that holds until <see cref="Lose"/> is called, then refuses every check with its reason.</summary>
public sealed class SwitchableLease(string fencingToken) : IActivationLease
{
    private string? _lost;
    private int _checks;
    private int _refusals;

    public string FencingToken { get; } = fencingToken;

    /// <summary>How many effects asked so far.</summary>
    public int Checks => Volatile.Read(ref _checks);

    /// <summary>How many effects were refused so far.</summary>
    public int Refusals => Volatile.Read(ref _refusals);

    /// <summary>From now on every check answers <paramref name="reason"/>.</summary>
    public void Lose(string reason) => Volatile.Write(ref _lost, reason);

    public ValueTask<string?> CheckAsync(bool irreversible, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _checks);
        var lost = Volatile.Read(ref _lost);
        if (lost is not null)
        {
            Interlocked.Increment(ref _refusals);
        }

        return ValueTask.FromResult(lost);
    }
}
