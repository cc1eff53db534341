namespace Botburrow.Agents.Hub;

/// <summary>The body of <c>POST /api/v1/admin/agents</c> (dev Hub): registers an agent or updates it.</summary>
public sealed record RegisterAgentRequest
{
    public required string Name { get; init; }

    public string? DisplayName { get; init; }

    /// <summary>USD per UTC day; absent keeps the current value (or the Hub default).</summary>
    public double? DailyLimitUsd { get; init; }

    /// <summary>USD per UTC month; absent keeps the current value (or the Hub default).</summary>
    public double? MonthlyLimitUsd { get; init; }
}
