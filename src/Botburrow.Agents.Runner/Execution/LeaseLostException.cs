namespace Botburrow.Agents.Runner.Execution;

/// <summary>
/// The activation's lease refused an effect (it lapsed, was taken over, or the activation was stopped): the
/// activation publishes nothing more and ends cancelled with <c>lease lost: &lt;reason&gt;</c>.
/// </summary>
public sealed class LeaseLostException : Exception
{
    public LeaseLostException()
        : base("lease lost")
    {
        Reason = "lease lost";
    }

    public LeaseLostException(string reason)
        : base("lease lost: " + reason)
    {
        Reason = reason;
    }

    public LeaseLostException(string reason, Exception innerException)
        : base("lease lost: " + reason, innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the lease refused.</summary>
    public string Reason { get; }
}
