namespace Botburrow.Agents.Isolation;

/// <summary>A child process must be confined (<c>SANDBOX=required</c>) and this host cannot confine it.</summary>
public sealed class SandboxUnavailableException : Exception
{
    public SandboxUnavailableException()
    {
    }

    public SandboxUnavailableException(string message)
        : base(message)
    {
    }

    public SandboxUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
