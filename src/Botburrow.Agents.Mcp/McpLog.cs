using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Mcp;

/// <summary>The log events of MCP servers.</summary>
internal static partial class McpLog
{
    [LoggerMessage(EventName = "mcp_server_started", Level = LogLevel.Information, Message = "MCP server '{Server}' started for agent {AgentId} ({Transport}) with {ToolCount} tools: {Tools}")]
    public static partial void ServerStarted(ILogger logger, string server, string agentId, string transport, int toolCount, string tools);

    [LoggerMessage(EventName = "mcp_server_start_failed", Level = LogLevel.Error, Message = "failed to start MCP server '{Server}' for agent {AgentId}: {Reason}")]
    public static partial void ServerStartFailed(ILogger logger, string server, string agentId, string reason);

    [LoggerMessage(EventName = "mcp_server_skipped", Level = LogLevel.Information, Message = "MCP server '{Server}' not started for agent {AgentId}: {Reason}")]
    public static partial void ServerSkipped(ILogger logger, string server, string agentId, string reason);

    [LoggerMessage(EventName = "mcp_server_stderr", Level = LogLevel.Debug, Message = "MCP server '{Server}' stderr: {Line}")]
    public static partial void ServerStderr(ILogger logger, string server, string line);

    [LoggerMessage(EventName = "mcp_tools_hidden", Level = LogLevel.Information, Message = "MCP server '{Server}': write tools hidden from agent {AgentId} without {Grant}: {Tools}")]
    public static partial void ToolsHidden(ILogger logger, string server, string agentId, string grant, string tools);

    [LoggerMessage(EventName = "mcp_tool_timeout", Level = LogLevel.Warning, Message = "MCP tool '{Tool}' timed out after {Seconds} s")]
    public static partial void ToolTimeout(ILogger logger, string tool, double seconds, Exception exception);

    [LoggerMessage(EventName = "mcp_tool_call", Level = LogLevel.Information, Message = "mcp_tool_call: MCP server '{Server}' tool '{Tool}' response {Outcome} after {DurationMs:0} ms")]
    public static partial void ToolCall(ILogger logger, string server, string tool, string outcome, double durationMs);

    [LoggerMessage(EventName = "mcp_tool_error", Level = LogLevel.Warning, Message = "mcp_tool_error: MCP server '{Server}' tool '{Tool}' failed after {DurationMs:0} ms: {Error}")]
    public static partial void ToolError(ILogger logger, string server, string tool, double durationMs, string error, Exception exception);

    [LoggerMessage(EventName = "mcp_tool_refused", Level = LogLevel.Warning, Message = "mcp_tool_refused: MCP server '{Server}' tool '{Tool}' not called (tool_call refused): {Reason}")]
    public static partial void ToolRefused(ILogger logger, string server, string tool, string reason);

    [LoggerMessage(EventName = "mcp_server_stopped", Level = LogLevel.Debug, Message = "MCP server '{Server}' stopped")]
    public static partial void ServerStopped(ILogger logger, string server);

    [LoggerMessage(EventName = "mcp_server_stop_failed", Level = LogLevel.Warning, Message = "MCP server '{Server}' did not stop cleanly: {Reason}")]
    public static partial void ServerStopFailed(ILogger logger, string server, string reason);
}
