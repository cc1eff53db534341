using System.Diagnostics;
using System.Text.Json;
using Botburrow.Agents.Mcp.Hub;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Mcp;

/// <summary>
/// An MCP server's tool as the agent sees it: namespaced (<c>github__create_issue</c>), bounded by <c>MCP_TIMEOUT</c>,
/// logged (<c>mcp_tool_call</c> per call, <c>mcp_tool_error</c> when one fails) and, once fenced for an activation
/// (<see cref="FencedBy"/>), forwarded only while the activation's lease holds: a refused call is answered to the
/// model as an error and never reaches the server.
/// </summary>
internal sealed class McpToolFunction : DelegatingAIFunction
{
    private readonly string _name;
    private readonly string _server;
    private readonly TimeSpan _timeout;
    private readonly ILogger _logger;
    private readonly HubWriteCheck? _fence;

    /// <summary>The tool <paramref name="inner"/> as <paramref name="name"/> (<c>server__tool</c>); not fenced yet.</summary>
    public McpToolFunction(AIFunction inner, string name, TimeSpan timeout, ILogger logger)
        : this(inner, ServerOf(name), name, timeout, logger, fence: null)
    {
    }

    private McpToolFunction(AIFunction inner, string server, string name, TimeSpan timeout, ILogger logger, HubWriteCheck? fence)
        : base(inner)
    {
        _server = server;
        _name = name;
        _timeout = timeout;
        _logger = logger;
        _fence = fence;
    }

    public override string Name => _name;

    /// <summary>The same tool, each call first asked of <paramref name="check"/> (the activation's lease).</summary>
    public McpToolFunction FencedBy(HubWriteCheck check)
    {
        ArgumentNullException.ThrowIfNull(check);
        return new McpToolFunction(InnerFunction, _server, _name, _timeout, _logger, check);
    }

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        if (_fence is not null && await _fence(cancellationToken) is { } refused)
        {
            McpLog.ToolRefused(_logger, _server, _name, refused);
            return $"Error: the call to {_name} was refused and not made: {refused}";
        }

        var started = Stopwatch.GetTimestamp();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_timeout);
        try
        {
            var result = await base.InvokeCoreAsync(arguments, limit.Token);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            McpLog.ToolCall(_logger, _server, _name, IsError(result) ? "error" : "ok", elapsed);
            return result;
        }
        catch (OperationCanceledException ex) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var timeout = new TimeoutException($"MCP tool '{_name}' timed out after {_timeout.TotalSeconds:0.#} s (MCP_TIMEOUT)", ex);
            McpLog.ToolError(_logger, _server, _name, Stopwatch.GetElapsedTime(started).TotalMilliseconds, timeout.Message, timeout);
            McpLog.ToolTimeout(_logger, _name, _timeout.TotalSeconds, timeout);
            throw timeout;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            McpLog.ToolError(_logger, _server, _name, Stopwatch.GetElapsedTime(started).TotalMilliseconds, ex.Message, ex);
            throw;
        }
    }

    /// <summary>The server part of a namespaced tool name (<c>github</c> of <c>github__create_issue</c>).</summary>
    private static string ServerOf(string name)
    {
        var separator = name.IndexOf("__", StringComparison.Ordinal);
        return separator > 0 ? name[..separator] : name;
    }

    /// <summary>True when the server answered the call with <c>isError</c>.</summary>
    private static bool IsError(object? result) => result switch
    {
        JsonElement { ValueKind: JsonValueKind.Object } element => element.TryGetProperty("isError", out var isError) && isError.ValueKind == JsonValueKind.True,
        ModelContextProtocol.Protocol.CallToolResult call => call.IsError == true,
        _ => false,
    };
}
