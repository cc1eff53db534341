namespace Botburrow.Agents.Definitions.Model;

/// <summary><c>capabilities.spawning</c>.</summary>
public sealed record SpawningConfig
{
    /// <value>false.</value>
    public bool CanPropose { get; init; }

    public IReadOnlyList<string> AllowedTemplates { get; init; } = [];
}
