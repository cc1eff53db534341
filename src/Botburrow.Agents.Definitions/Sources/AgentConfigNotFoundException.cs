namespace Botburrow.Agents.Definitions.Sources;

/// <summary>An agent has no definition: <c>Agent config not found: PATH</c> (the path or URL of its <c>config.yaml</c>).</summary>
public sealed class AgentConfigNotFoundException : FileNotFoundException
{
    public AgentConfigNotFoundException()
        : this("(unknown)")
    {
    }

    public AgentConfigNotFoundException(string path)
        : base($"Agent config not found: {path}", path)
    {
        Path = path;
    }

    public AgentConfigNotFoundException(string path, Exception innerException)
        : base($"Agent config not found: {path}", path, innerException)
    {
        Path = path;
    }

    /// <summary>The full path or URL of the missing <c>config.yaml</c>.</summary>
    public string Path { get; }
}
