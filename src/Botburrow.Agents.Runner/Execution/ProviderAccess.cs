using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;

namespace Botburrow.Agents.Runner.Execution;

/// <summary>
/// How an agent reaches its model provider: which variable holds its key (and the key), and the base URL when it
/// is not the provider's own. The native loop builds its SDK client from this; CLI executors hand exactly this
/// key, and nothing else of the runner's, to the tool they start. A <c>brain.api_key_env</c> that
/// <see cref="ProviderKeys"/> refuses (a fleet secret, or a variable that is neither the provider's own key nor in the
/// policy's <c>provider_keys</c> for the agent) is never read: the access has no key and a <see cref="Problem"/>.
/// </summary>
public sealed record ProviderAccess
{
    /// <summary>Where local models listen when <c>brain.api_base</c> is not given (Ollama's OpenAI-compatible API).</summary>
    public const string DefaultLocalEndpoint = "http://localhost:11434/v1";

    public required LlmProvider Provider { get; init; }

    /// <summary>The variable holding the key (<c>ANTHROPIC_API_KEY</c>, <c>OPENAI_API_KEY</c> or <c>brain.api_key_env</c>), or <see langword="null"/> for a local model without one.</summary>
    public string? KeyVariable { get; init; }

    /// <summary>The key, or <see langword="null"/> when the variable is unset.</summary>
    public string? Key { get; init; }

    /// <summary><c>brain.api_base</c>, else <c>ANTHROPIC_BASE_URL</c>/<c>OPENAI_BASE_URL</c>, else the local default for local models, else <see langword="null"/> (the provider's own).</summary>
    public string? BaseUrl { get; init; }

    /// <summary>Why the agent cannot reach its provider (its key is missing or its <c>brain.api_key_env</c> is refused), or <see langword="null"/>.</summary>
    public string? Problem { get; init; }

    /// <summary>The provider as CLI tools and OpenTelemetry name it.</summary>
    public string ProviderName => Provider switch
    {
        LlmProvider.Anthropic => "anthropic",
        LlmProvider.OpenAI => "openai",
        _ => "local",
    };

    /// <summary>
    /// Resolves <paramref name="agent"/>'s provider access from <paramref name="environment"/>. A
    /// <c>brain.api_key_env</c> other than the provider's own key must be listed in <c>provider_keys</c> of
    /// <paramref name="permissions"/> for the agent; without a policy only the provider's own key is read.
    /// </summary>
    public static ProviderAccess For(AgentDefinition agent, IReadOnlyDictionary<string, string?> environment, PermissionsPolicySource? permissions = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(environment);
        var brain = agent.Brain;
        string? Env(string name) => environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
        if (brain.ApiKeyEnv is { } named
            && ProviderKeys.Check(agent.Name, brain.Provider, named, permissions) is { } refused)
        {
            return new ProviderAccess
            {
                Provider = brain.Provider,
                KeyVariable = named,
                Key = null,
                BaseUrl = brain.ApiBase?.ToString(),
                Problem = $"brain.api_key_env of agent '{agent.Name}' is refused, so no key is read: {refused}",
            };
        }

        switch (brain.Provider)
        {
            case LlmProvider.Anthropic:
                var anthropicKey = Env(SettingNames.AnthropicApiKey);
                return new ProviderAccess
                {
                    Provider = LlmProvider.Anthropic,
                    KeyVariable = SettingNames.AnthropicApiKey,
                    Key = anthropicKey,
                    BaseUrl = brain.ApiBase?.ToString() ?? Env(SettingNames.AnthropicBaseUrl),
                    Problem = anthropicKey is null ? $"{SettingNames.AnthropicApiKey} is not set (agent '{agent.Name}' uses provider anthropic)" : null,
                };
            case LlmProvider.OpenAI:
                var openAiVariable = brain.ApiKeyEnv ?? SettingNames.OpenAIApiKey;
                var openAiKey = Env(openAiVariable);
                return new ProviderAccess
                {
                    Provider = LlmProvider.OpenAI,
                    KeyVariable = openAiVariable,
                    Key = openAiKey,
                    BaseUrl = brain.ApiBase?.ToString() ?? Env(SettingNames.OpenAIBaseUrl),
                    Problem = openAiKey is null ? $"{openAiVariable} is not set (agent '{agent.Name}' uses provider openai)" : null,
                };
            default:
                return new ProviderAccess
                {
                    Provider = brain.Provider,
                    KeyVariable = brain.ApiKeyEnv,
                    Key = brain.ApiKeyEnv is { } variable ? Env(variable) : null,
                    BaseUrl = brain.ApiBase?.ToString() ?? Env(SettingNames.OpenAIBaseUrl) ?? DefaultLocalEndpoint,
                };
        }
    }
}
