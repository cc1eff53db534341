using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Runner.Execution.Cli;

namespace Botburrow.Agents.Runner.Activation;

/// <summary>
/// Chooses the executor for an agent's <c>type</c>: the native loop for <c>native</c> and <c>custom</c>, the CLI
/// executor of the same name for <c>claude-code</c>, <c>goose</c>, <c>aider</c> and <c>opencode</c>. With
/// <c>SCRIPTED_BRAIN</c> set every agent runs the native loop on the scripted test double.
/// </summary>
public sealed class ExecutorSelector
{
    private readonly NativeExecutor _native;
    private readonly BrainFactory _brains;
    private readonly CliExecutors _cli;

    public ExecutorSelector(NativeExecutor native, BrainFactory brains, CliExecutors cli)
    {
        ArgumentNullException.ThrowIfNull(native);
        ArgumentNullException.ThrowIfNull(brains);
        ArgumentNullException.ThrowIfNull(cli);
        _native = native;
        _brains = brains;
        _cli = cli;
    }

    /// <summary>The CLI executors (for the start-up availability report); none while the scripted test double stands in for every agent.</summary>
    public IReadOnlyCollection<CliExecutor> CliExecutors => _brains.IsScripted ? [] : _cli.All;

    /// <summary>
    /// The executor, or the reason none can run the agent (the guide's "Executor 'x' not available: …", e.g.
    /// <c>Executor 'claude-code' not available: 'claude' not found on PATH</c>). This is the activation's one
    /// availability check (the program on PATH, the provider the tool speaks, the provider's key); it runs on
    /// every activation, so a tool installed while the runner runs is used from the next one on.
    /// </summary>
    public (IAgentExecutor? Executor, string? Unavailable) For(AgentDefinition agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var type = TypeName(agent.Type);
        IAgentExecutor? executor = agent.Type is AgentType.Native or AgentType.Custom || _brains.IsScripted ? _native : _cli.For(agent.Type);
        if (executor is null)
        {
            return (null, $"Executor '{type}' not available: this runner has no {type} executor");
        }

        return executor.CheckAvailability(agent) is { } why ? (null, $"Executor '{type}' not available: {why}") : (executor, null);
    }

    /// <summary>The type's name as definitions spell it (<c>claude-code</c>).</summary>
    public static string TypeName(AgentType type) => type.ToYaml();
}
