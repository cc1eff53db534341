using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Runner.Brains;
using System.ClientModel;
using System.ClientModel.Primitives;
using Anthropic;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Botburrow.Agents.Runner.Execution;

/// <summary>
/// Builds the <see cref="IChatClient"/> an agent thinks with. With <c>SCRIPTED_BRAIN</c> set every agent gets
/// the scripted test double (labelled as such); otherwise the agent's provider.
/// </summary>
public sealed class BrainFactory
{
    /// <summary>How often the SDKs retry a 429 or 5xx (each honours <c>retry-after</c>) before the call fails.</summary>
    public const int MaxRetries = 3;

    private readonly BotburrowSettings _settings;
    private readonly TimeProvider _timeProvider;
    private readonly ScriptedScript? _sharedScript;

    public BrainFactory(BotburrowSettings settings, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _timeProvider = timeProvider;
        if (settings.ScriptedBrain is { } scripted)
        {
            _sharedScript = scripted.Equals("offline", StringComparison.OrdinalIgnoreCase)
                ? ScriptedScript.OfflineDefault
                : File.Exists(scripted) ? ScriptedScript.Load(scripted)
                : Directory.Exists(scripted) ? null
                : throw new SettingsException($"{SettingNames.ScriptedBrain} must be 'offline', a script file or a folder of scripts, got '{scripted}'");
        }
    }

    /// <summary>True when agents think with the scripted test double instead of a model.</summary>
    public bool IsScripted => _settings.ScriptedBrain is not null;

    /// <summary>Why the agent's brain cannot be built (a missing key), or <see langword="null"/>.</summary>
    public string? CheckAvailability(AgentDefinition agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (IsScripted)
        {
            return null;
        }

        return agent.Brain.Provider switch
        {
            LlmProvider.Anthropic when string.IsNullOrEmpty(Env(SettingNames.AnthropicApiKey))
                => $"{SettingNames.AnthropicApiKey} is not set (agent '{agent.Name}' uses provider anthropic)",
            LlmProvider.OpenAI when string.IsNullOrEmpty(Env(agent.Brain.ApiKeyEnv ?? SettingNames.OpenAIApiKey))
                => $"{agent.Brain.ApiKeyEnv ?? SettingNames.OpenAIApiKey} is not set (agent '{agent.Name}' uses provider openai)",
            _ => null,
        };
    }

    public IChatClient Create(AgentDefinition agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (IsScripted)
        {
            var script = _sharedScript ?? LoadAgentScript(agent.Name);
            return new ScriptedChatClient(script, _timeProvider);
        }

        if (CheckAvailability(agent) is { } missing)
        {
            throw new ActivationFailedException(missing);
        }

        var brain = agent.Brain;
        switch (brain.Provider)
        {
            case LlmProvider.Anthropic:
                var anthropicBase = brain.ApiBase?.ToString() ?? Env(SettingNames.AnthropicBaseUrl);
                var anthropic = string.IsNullOrEmpty(anthropicBase)
                    ? new AnthropicClient { ApiKey = Env(SettingNames.AnthropicApiKey)!, MaxRetries = MaxRetries } // key checked by CheckAvailability
                    : new AnthropicClient { ApiKey = Env(SettingNames.AnthropicApiKey)!, MaxRetries = MaxRetries, BaseUrl = WithoutVersion(anthropicBase) };

                return new ProviderErrorChatClient(anthropic.AsIChatClient(brain.Model, brain.MaxTokens), "anthropic", SettingNames.AnthropicApiKey, brain.Model);
            case LlmProvider.OpenAI:
            case LlmProvider.Local:
                var keyVariable = brain.ApiKeyEnv ?? (brain.Provider == LlmProvider.OpenAI ? SettingNames.OpenAIApiKey : null);
                var key = keyVariable is null ? null : Env(keyVariable);
                var endpoint = brain.ApiBase?.ToString()
                    ?? Env(SettingNames.OpenAIBaseUrl)
                    ?? (brain.Provider == LlmProvider.Local ? "http://localhost:11434/v1" : null);
                var options = new OpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(MaxRetries) };
                if (endpoint is not null)
                {
                    options.Endpoint = new Uri(endpoint);
                }

                var provider = brain.Provider == LlmProvider.OpenAI ? "openai" : "local model at " + (endpoint ?? "(default)");
                var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(key) ? "no-key" : key), options)
                    .GetChatClient(brain.Model)
                    .AsIChatClient();
                return new ProviderErrorChatClient(client, provider, keyVariable ?? "the local model's key", brain.Model);
            default:
                throw new ActivationFailedException($"provider '{brain.Provider}' is not supported");
        }
    }

    /// <summary>The Anthropic SDK appends <c>/v1/messages</c> itself, so a base URL ending in <c>/v1</c> loses it.</summary>
    private static string WithoutVersion(string baseUrl)
    {
        var trimmed = baseUrl.TrimEnd('/');
        return trimmed.EndsWith("/v1", StringComparison.Ordinal) ? trimmed[..^3] : trimmed;
    }

    private string? Env(string name) => _settings.Environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private ScriptedScript LoadAgentScript(string agentName)
    {
        var path = Path.Combine(_settings.ScriptedBrain!, agentName + ".json");
        return File.Exists(path) ? ScriptedScript.Load(path) : ScriptedScript.OfflineDefault;
    }
}
