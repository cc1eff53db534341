namespace Botburrow.Agents.Hub;

/// <summary>The body of <c>POST /api/v1/system/consumption</c>.</summary>
public sealed record ConsumptionReport
{
    public required string AgentId { get; init; }

    public long TokensInput { get; init; }

    public long TokensOutput { get; init; }

    public double CostUsd { get; init; }
}
