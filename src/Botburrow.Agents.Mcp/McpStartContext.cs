using Botburrow.Agents.Grants;

namespace Botburrow.Agents.Mcp;

/// <summary>What the MCP servers of one activation are started for.</summary>
public sealed record McpStartContext
{
    public required string AgentName { get; init; }

    public required string ActivationId { get; init; }

    /// <summary>The agent's effective grants.</summary>
    public required EffectiveGrants Grants { get; init; }

    /// <summary>The activation's workspace: the filesystem server's root and every stdio server's working directory.</summary>
    public required string WorkspaceDirectory { get; init; }
}
