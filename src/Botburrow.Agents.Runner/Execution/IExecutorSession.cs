namespace Botburrow.Agents.Runner.Execution;

/// <summary>One activation's open tools and the questions answered with them; disposing it closes the tools.</summary>
public interface IExecutorSession : IAsyncDisposable
{
    /// <summary>The system prompt, built once the tools were opened: it names exactly the tools the model is given.</summary>
    string SystemPrompt { get; }

    /// <summary>
    /// Asks the agent <paramref name="question"/> and returns its final answer; the conversation is recorded in
    /// <paramref name="conversation"/>. <see cref="AgentAnswer.PublishedThroughTool"/> is set when the agent
    /// posted through its Hub tools while answering.
    /// </summary>
    Task<AgentAnswer> AskAsync(AgentQuestion question, ConversationRecorder conversation, CancellationToken cancellationToken);
}
