using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Mcp;
using Botburrow.Agents.Runner.Activation;

namespace Botburrow.Agents.Runner.Execution;

/// <summary>
/// The <c>native</c> executor: opens the agent's in-process Hub tools and starts its MCP servers for the
/// activation (every Hub write and every MCP tool call first asks the activation's lease), then answers each
/// question with the <see cref="NativeLoop"/> over exactly those tools.
/// </summary>
public sealed class NativeExecutor : IAgentExecutor
{
    private readonly NativeLoop _loop;
    private readonly ActivationToolProvider _tools;

    public NativeExecutor(NativeLoop loop, ActivationToolProvider tools)
    {
        ArgumentNullException.ThrowIfNull(loop);
        ArgumentNullException.ThrowIfNull(tools);
        _loop = loop;
        _tools = tools;
    }

    public string? CheckAvailability(Definitions.Model.AgentDefinition agent) => _loop.CheckAvailability(agent);

    public async ValueTask<IExecutorSession> OpenAsync(ActivationContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ActivationTools opened;
        try
        {
            opened = await _tools.OpenAsync(context.Agent, context.ActivationId, context.CheckLeaseAsync, cancellationToken);
        }
        catch (Exception ex) when (ex is McpServerException or PermissionsPolicyException)
        {
            throw new ActivationFailedException(ex.Message, ex);
        }

        return new Session(_loop, context, opened);
    }

    private sealed class Session(NativeLoop loop, ActivationContext context, ActivationTools tools) : IExecutorSession
    {
        public string SystemPrompt { get; } = PromptBuilder.SystemPrompt(context.Agent, tools.Tools);

        public async Task<AgentAnswer> AskAsync(AgentQuestion question, ConversationRecorder conversation, CancellationToken cancellationToken)
        {
            var postsBefore = tools.HubWrites.Count;
            var answer = await loop.AnswerAsync(context, SystemPrompt, tools.Tools, question, conversation, cancellationToken);
            return tools.HubWrites.Count > postsBefore ? answer with { PublishedThroughTool = true } : answer;
        }

        public ValueTask DisposeAsync() => tools.DisposeAsync();
    }
}
