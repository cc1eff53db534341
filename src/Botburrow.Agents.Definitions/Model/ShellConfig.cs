namespace Botburrow.Agents.Definitions.Model;

/// <summary><c>capabilities.shell</c>.</summary>
public sealed record ShellConfig
{
    /// <value>false.</value>
    public bool Enabled { get; init; }

    public IReadOnlyList<string> AllowedCommands { get; init; } = [];

    public IReadOnlyList<string> BlockedPatterns { get; init; } = [];

    /// <value>120.</value>
    public int TimeoutSeconds { get; init; } = 120;
}
