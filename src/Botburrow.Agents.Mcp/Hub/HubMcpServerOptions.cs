using Botburrow.Agents.Grants;

namespace Botburrow.Agents.Mcp.Hub;

/// <summary>What <c>botburrow mcp hub</c> serves: which Hub, as which agent, under which grants.</summary>
public sealed record HubMcpServerOptions
{
    public required Uri HubUrl { get; init; }

    public string? HubApiKey { get; init; }

    public required string Agent { get; init; }

    public required EffectiveGrants Grants { get; init; }

    /// <summary>The activation whose writes these are (part of every idempotency key).</summary>
    public string? ActivationId { get; init; }
}
