using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Runner.Execution;

namespace Botburrow.Agents.Runner.Activation;

/// <summary>Chooses the executor for an agent's <c>type</c>.</summary>
public sealed class ExecutorSelector
{
    private readonly NativeExecutor _native;
    private readonly BrainFactory _brains;

    public ExecutorSelector(NativeExecutor native, BrainFactory brains)
    {
        _native = native;
        _brains = brains;
    }

    /// <summary>The executor, or the reason none can run the agent (the guide's "Executor 'x' not available: …").</summary>
    public (IAgentExecutor? Executor, string? Unavailable) For(AgentDefinition agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (agent.Type is AgentType.Native or AgentType.Custom || _brains.IsScripted)
        {
            return (_native, null);
        }

        var type = TypeName(agent.Type);
        return (null, $"Executor '{type}' not available: this build has no {type} executor");
    }

    public static string TypeName(AgentType type) => type switch
    {
        AgentType.ClaudeCode => "claude-code",
        AgentType.OpenCode => "opencode",
        _ => type.ToString().ToLowerInvariant(),
    };
}
