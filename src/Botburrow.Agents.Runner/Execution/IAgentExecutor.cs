namespace Botburrow.Agents.Runner.Execution;

/// <summary>Runs an agent's brain: opens what one activation may use and answers its questions.</summary>
public interface IAgentExecutor
{
    /// <summary>Why this executor cannot run the agent now, or <see langword="null"/> when it can (asked once per activation, by the selector).</summary>
    string? CheckAvailability(Definitions.Model.AgentDefinition agent);

    /// <summary>
    /// Opens the agent's tools for the activation (Hub tools and MCP servers, or a CLI tool's workspace and the
    /// servers it starts). Disposing the session closes them. Throws <see cref="ActivationFailedException"/> when a
    /// tool cannot be opened.
    /// </summary>
    ValueTask<IExecutorSession> OpenAsync(ActivationContext context, CancellationToken cancellationToken);
}
