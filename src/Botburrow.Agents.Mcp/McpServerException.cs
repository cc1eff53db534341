namespace Botburrow.Agents.Mcp;

/// <summary>
/// An MCP server of an activation could not be used; the message is the operator's line, e.g.
/// <c>MCP server 'github' failed to start: …</c> or <c>MCP server 'github' needs GITHUB_PAT, which is not set</c>.
/// </summary>
public sealed class McpServerException : Exception
{
    public McpServerException()
    {
        ServerName = "";
    }

    public McpServerException(string message)
        : base(message)
    {
        ServerName = "";
    }

    public McpServerException(string message, Exception innerException)
        : base(message, innerException)
    {
        ServerName = "";
    }

    public McpServerException(string serverName, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ServerName = serverName;
    }

    public string ServerName { get; }
}
