namespace Botburrow.Agents.Definitions.Sources;

/// <summary>A definitions source failed as a whole: a clone or HTTP failure, an unsupported operation, a bad name.</summary>
public sealed class AgentDefinitionSourceException : Exception
{
    public AgentDefinitionSourceException()
    {
    }

    public AgentDefinitionSourceException(string message)
        : base(message)
    {
    }

    public AgentDefinitionSourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
