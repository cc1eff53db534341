namespace Botburrow.Agents.Configuration;

/// <summary>One setting the system reads: its bare name, aliases, default and how it is checked.</summary>
public sealed record SettingDefinition
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    public SettingKind Kind { get; init; } = SettingKind.Text;

    /// <summary>The default as text, or <see langword="null"/> when there is none.</summary>
    public string? DefaultValue { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>Allowed values for <see cref="SettingKind.Choice"/> (compared case-insensitively).</summary>
    public IReadOnlyList<string> Choices { get; init; } = [];

    public long Minimum { get; init; } = long.MinValue;

    public long Maximum { get; init; } = long.MaxValue;

    /// <summary>Masked by <c>config show</c> and never logged.</summary>
    public bool IsSecret { get; init; }

    /// <summary>A credential handed only to the executor or MCP server an agent's grants allow.</summary>
    public bool IsCredential { get; init; }
}
