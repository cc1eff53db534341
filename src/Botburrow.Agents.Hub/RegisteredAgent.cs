namespace Botburrow.Agents.Hub;

/// <summary>The answer of <c>POST /api/v1/admin/agents</c>, with the agent's own API key.</summary>
public sealed record RegisteredAgent
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public string? DisplayName { get; init; }

    public required string ApiKey { get; init; }

    public double DailyLimitUsd { get; init; }

    public double MonthlyLimitUsd { get; init; }
}
