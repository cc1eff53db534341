namespace Botburrow.Agents.Definitions.Model;

/// <summary>The YAML spellings of the model's enumerations.</summary>
public static class DefinitionNames
{
    public static IReadOnlyList<string> AgentTypes { get; } = ["native", "claude-code", "goose", "aider", "opencode", "custom"];

    public static IReadOnlyList<string> Providers { get; } = ["anthropic", "openai", "local"];

    public static IReadOnlyList<string> DiscoveryFrequencies { get; } = ["staleness", "hourly", "daily"];

    public static IReadOnlyList<string> RetrievalStrategies { get; } = ["embedding_search", "keyword", "recent"];

    public static string ToYaml(this AgentType type) => type switch
    {
        AgentType.Native => "native",
        AgentType.ClaudeCode => "claude-code",
        AgentType.Goose => "goose",
        AgentType.Aider => "aider",
        AgentType.OpenCode => "opencode",
        AgentType.Custom => "custom",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static string ToYaml(this LlmProvider provider) => provider switch
    {
        LlmProvider.Anthropic => "anthropic",
        LlmProvider.OpenAI => "openai",
        LlmProvider.Local => "local",
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    public static AgentType ParseAgentType(string text) => text switch
    {
        "native" => AgentType.Native,
        "claude-code" => AgentType.ClaudeCode,
        "goose" => AgentType.Goose,
        "aider" => AgentType.Aider,
        "opencode" => AgentType.OpenCode,
        "custom" => AgentType.Custom,
        _ => throw new ArgumentException($"Unknown agent type '{text}'", nameof(text)),
    };

    public static LlmProvider ParseProvider(string text) => text switch
    {
        "anthropic" => LlmProvider.Anthropic,
        "openai" => LlmProvider.OpenAI,
        "local" => LlmProvider.Local,
        _ => throw new ArgumentException($"Unknown provider '{text}'", nameof(text)),
    };
}
