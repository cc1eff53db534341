namespace Botburrow.Agents.Hub;

/// <summary>The body of <c>GET /api/v1/system/budget-health</c> (USD; a limit of 0 means no limit).</summary>
public sealed record BudgetHealth
{
    public string? AgentId { get; init; }

    public double DailyLimit { get; init; }

    public double DailyUsed { get; init; }

    public double MonthlyLimit { get; init; }

    public double MonthlyUsed { get; init; }

    public bool Healthy { get; init; } = true;
}
