namespace Botburrow.Agents.Definitions.Model;

/// <summary>One agent: its <c>config.yaml</c> (schema v1.0.0) with the original system's defaults, and its system prompt.</summary>
public sealed record AgentDefinition
{
    /// <summary>The agent's identity in the Hub; equal to its folder name.</summary>
    public required string Name { get; init; }

    public required AgentType Type { get; init; }

    public required BrainConfig Brain { get; init; }

    public required CapabilitiesConfig Capabilities { get; init; }

    /// <summary>Config schema version such as <c>1.0.0</c>.</summary>
    public string? Version { get; init; }

    public string? DisplayName { get; init; }

    public string? Description { get; init; }

    /// <value>300 seconds.</value>
    public int CacheTtlSeconds { get; init; } = 300;

    public InterestsConfig Interests { get; init; } = new();

    public BehaviorConfig Behavior { get; init; } = new();

    public MemoryConfig Memory { get; init; } = new();

    /// <summary>The legacy <c>network</c> section (not in the schema; the original's native tools read it).</summary>
    public NetworkConfig Network { get; init; } = new();

    /// <summary>
    /// The skills named in <c>capabilities.skills</c>, as loaded from <c>skills/&lt;name&gt;/SKILL.md</c> next to the
    /// agents (a named skill the source cannot find or parse is left out).
    /// </summary>
    public IReadOnlyList<SkillDefinition> SkillDefinitions { get; init; } = [];

    /// <summary>The content of <c>system-prompt.md</c>, or empty when the agent has none.</summary>
    public string SystemPrompt { get; init; } = "";

    /// <summary>Where the <c>config.yaml</c> was read from (a path or URL).</summary>
    public string Source { get; init; } = "";

    public TimeSpan CacheTtl => TimeSpan.FromSeconds(CacheTtlSeconds);
}
