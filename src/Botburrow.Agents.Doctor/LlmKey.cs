namespace Botburrow.Agents.Doctor;

/// <summary>An LLM key as an agent's brain would use it: the provider, the variable that holds it, the key and where it is sent.</summary>
public sealed record LlmKey
{
    /// <summary><c>anthropic</c>, <c>openai</c> or <c>local</c> (an OpenAI-compatible server).</summary>
    public required string Provider { get; init; }

    /// <summary>The variable holding the key, e.g. <c>ANTHROPIC_API_KEY</c>.</summary>
    public required string KeyVariable { get; init; }

    public string? Key { get; init; }

    /// <summary><c>brain.api_base</c> or the base URL override; null for the provider's own address.</summary>
    public string? BaseUrl { get; init; }
}
