using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Work;
using Microsoft.Extensions.AI;

namespace Botburrow.Agents.Runner.Execution;

/// <summary>What an executor is asked: one question to one agent, with its context.</summary>
public sealed record AgentPrompt
{
    public required AgentDefinition Agent { get; init; }

    public required TaskType Task { get; init; }

    public required string ActivationId { get; init; }

    public required string SystemPrompt { get; init; }

    public required string UserPrompt { get; init; }

    /// <summary>The content the agent is asked about (the notification's text), for echoing test doubles.</summary>
    public string? Quote { get; init; }

    /// <summary>Tools the agent holds the grants for.</summary>
    public IReadOnlyList<AITool> Tools { get; init; } = [];

    /// <summary>The activation's usage and budget, shared by all its prompts; executors that call models themselves record each call here.</summary>
    public ActivationMeter Meter { get; init; } = new(Consumption.ModelPriceTable.Default);

    /// <summary>The agent's effective grants (what a CLI tool's own tools are allowed follows them), or <see langword="null"/> when not evaluated.</summary>
    public Grants.EffectiveGrants? Grants { get; init; }

    /// <summary>The activation's workspace (CLI executors run there), or <see langword="null"/> when none was made.</summary>
    public string? Workspace { get; init; }

    /// <summary>The MCP servers a CLI tool starts for the agent (the Hub's first), with their scoped credentials.</summary>
    public IReadOnlyList<Mcp.McpServerLaunch> McpServers { get; init; } = [];

    /// <summary>Where the executor records this conversation for the activation's transcript.</summary>
    public ConversationRecorder Conversation { get; init; } = new("conversation");
}
