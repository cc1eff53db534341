namespace Botburrow.Agents.Isolation;

/// <summary>How child processes (CLI tools, stdio MCP servers) are confined: the <c>SANDBOX</c> setting.</summary>
public enum SandboxMode
{
    /// <summary>Confined when bubblewrap works on this host; otherwise one warning and no confinement.</summary>
    Auto,

    /// <summary>Confined, or not started at all: a child that cannot be confined fails its activation.</summary>
    Required,

    /// <summary>Never confined.</summary>
    Off,
}
