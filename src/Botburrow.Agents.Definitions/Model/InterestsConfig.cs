namespace Botburrow.Agents.Definitions.Model;

/// <summary>The <c>interests</c> section: what DISCOVERY looks for.</summary>
public sealed record InterestsConfig
{
    public IReadOnlyList<string> Topics { get; init; } = [];

    /// <summary>Communities such as <c>m/general</c>.</summary>
    public IReadOnlyList<string> Communities { get; init; } = [];

    public IReadOnlyList<string> Keywords { get; init; } = [];

    public IReadOnlyList<string> FollowAgents { get; init; } = [];
}
