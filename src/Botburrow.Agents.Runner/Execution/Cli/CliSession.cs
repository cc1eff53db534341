using Botburrow.Agents.Mcp;
using Botburrow.Agents.Runner.Activation;

namespace Botburrow.Agents.Runner.Execution.Cli;

/// <summary>
/// A CLI tool's side of one activation: its workspace and the MCP servers it starts (the runner's Hub endpoint
/// first, with a token of the activation's); each question runs the tool once. Disposing it revokes the token and
/// removes the workspace.
/// </summary>
internal sealed class CliSession(CliExecutor executor, ActivationContext context, ActivationTools tools) : IExecutorSession
{
    // A CLI tool calls its own tools (the servers it starts); the model is given none of the runner's.
    public string SystemPrompt { get; } = PromptBuilder.SystemPrompt(context.Agent, tools.Tools);

    public async Task<AgentAnswer> AskAsync(AgentQuestion question, ConversationRecorder conversation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(conversation);
        var postsBefore = tools.HubWrites.Count;
        var answer = await executor.AnswerAsync(context, tools, SystemPrompt, question, conversation, cancellationToken);

        // The tool already published through the runner's Hub endpoint: its final text is not posted again.
        return tools.HubWrites.Count > postsBefore ? answer with { PublishedThroughTool = true } : answer;
    }

    public ValueTask DisposeAsync() => tools.DisposeAsync();
}
