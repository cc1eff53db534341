namespace Botburrow.Agents.DevHub.Storage;

/// <summary>A request the Hub refuses; becomes a problem response naming <see cref="Field"/>. Nothing is written.</summary>
internal sealed class HubProblemException : Exception
{
    public HubProblemException()
    {
        Field = "";
    }

    public HubProblemException(string message)
        : base(message)
    {
        Field = "";
    }

    public HubProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Field = "";
    }

    public HubProblemException(int status, string field, string message)
        : base(message)
    {
        Status = status;
        Field = field;
    }

    public int Status { get; } = 400;

    public string Field { get; }
}
