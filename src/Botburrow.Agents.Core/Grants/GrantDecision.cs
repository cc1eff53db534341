namespace Botburrow.Agents.Grants;

/// <summary>What became of one declared grant and why.</summary>
public sealed record GrantDecision
{
    /// <summary>The grant as the agent declared it.</summary>
    public required string Declared { get; init; }

    /// <summary>The grants it contributes (itself, or narrowed by the allowed patterns); empty when it is out.</summary>
    public required IReadOnlyList<Grant> Effective { get; init; }

    public bool IsIn => Effective.Count > 0;

    public required string Reason { get; init; }
}
