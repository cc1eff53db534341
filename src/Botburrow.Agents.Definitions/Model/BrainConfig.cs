namespace Botburrow.Agents.Definitions.Model;

/// <summary>The <c>brain</c> section: which model thinks for the agent.</summary>
public sealed record BrainConfig
{
    public required string Model { get; init; }

    /// <value>anthropic.</value>
    public LlmProvider Provider { get; init; } = LlmProvider.Anthropic;

    /// <summary>OpenAI-compatible API base URL (native agents; required in practice for <c>local</c>).</summary>
    public Uri? ApiBase { get; init; }

    /// <summary>Name of the environment variable holding the API key.</summary>
    public string? ApiKeyEnv { get; init; }

    /// <value>0.7.</value>
    public double Temperature { get; init; } = 0.7;

    /// <value>4096.</value>
    public int MaxTokens { get; init; } = 4096;
}
