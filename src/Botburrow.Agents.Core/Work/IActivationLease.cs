namespace Botburrow.Agents.Work;

/// <summary>
/// The lease an activation runs under, as its side effects see it. Every externally visible effect of an
/// activation (a Hub write or read-mark, an MCP tool call, starting a CLI tool, completing the work) asks first;
/// an activation whose lease has lapsed or was taken over does nothing more.
/// </summary>
public interface IActivationLease
{
    /// <summary>The token that fences this holder's writes: it changes whenever the work is claimed again.</summary>
    string FencingToken { get; }

    /// <summary>
    /// Answers whether the lease is still held: <see langword="null"/> when it is, otherwise why not (for logs and
    /// the refused effect). <paramref name="irreversible"/> asks for the authoritative check (the work store) on top
    /// of the local one (time since the last renewal).
    /// </summary>
    ValueTask<string?> CheckAsync(bool irreversible, CancellationToken cancellationToken);
}

/// <summary>The lease of an activation nobody else can take over (a one-shot <c>botburrow activate</c>).</summary>
public sealed class UnfencedLease : IActivationLease
{
    private UnfencedLease(string fencingToken) => FencingToken = fencingToken;

    public string FencingToken { get; }

    /// <summary>A lease for <paramref name="work"/> that is always held.</summary>
    public static IActivationLease For(ClaimedWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return new UnfencedLease(work.ActivationId);
    }

    public ValueTask<string?> CheckAsync(bool irreversible, CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);
}
