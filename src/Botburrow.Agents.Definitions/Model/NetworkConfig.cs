namespace Botburrow.Agents.Definitions.Model;

/// <summary>The legacy <c>network</c> section (accepted as an extension of the schema).</summary>
public sealed record NetworkConfig
{
    /// <value>true.</value>
    public bool Enabled { get; init; } = true;

    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    public IReadOnlyList<string> BlockedHosts { get; init; } = [];
}
