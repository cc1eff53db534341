using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Mcp;

/// <summary>An MCP server's tool as the agent sees it: namespaced (<c>github__create_issue</c>) and bounded by <c>MCP_TIMEOUT</c>.</summary>
internal sealed class McpToolFunction(AIFunction inner, string name, TimeSpan timeout, ILogger logger) : DelegatingAIFunction(inner)
{
    public override string Name => name;

    protected override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            return await base.InvokeCoreAsync(arguments, limit.Token);
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            McpLog.ToolTimeout(logger, name, timeout.TotalSeconds);
            throw new TimeoutException($"MCP tool '{name}' timed out after {timeout.TotalSeconds:0.#} s (MCP_TIMEOUT)");
        }
    }
}
