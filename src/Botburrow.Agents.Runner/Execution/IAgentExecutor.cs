namespace Botburrow.Agents.Runner.Execution;

/// <summary>Runs an agent's brain on one prompt and returns its final answer.</summary>
public interface IAgentExecutor
{
    /// <summary>Why this executor cannot run the agent now, or <see langword="null"/> when it can.</summary>
    string? CheckAvailability(Definitions.Model.AgentDefinition agent);

    Task<AgentAnswer> AnswerAsync(AgentPrompt prompt, CancellationToken cancellationToken = default);
}
