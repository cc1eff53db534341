using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Runner.Brains;
using System.ClientModel;
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
                var anthropic = new AnthropicClient { ApiKey = Env(SettingNames.AnthropicApiKey)! };
                var anthropicBase = brain.ApiBase?.ToString() ?? Env(SettingNames.AnthropicBaseUrl);
                if (!string.IsNullOrEmpty(anthropicBase))
                {
                    anthropic = new AnthropicClient { ApiKey = Env(SettingNames.AnthropicApiKey)!, BaseUrl = anthropicBase.TrimEnd('/') };
                }

                return anthropic.AsIChatClient(brain.Model, brain.MaxTokens);
            case LlmProvider.OpenAI:
            case LlmProvider.Local:
                var key = Env(brain.ApiKeyEnv ?? SettingNames.OpenAIApiKey);
                var endpoint = brain.ApiBase?.ToString()
                    ?? Env(SettingNames.OpenAIBaseUrl)
                    ?? (brain.Provider == LlmProvider.Local ? "http://localhost:11434/v1" : null);
                var options = new OpenAIClientOptions();
                if (endpoint is not null)
                {
                    options.Endpoint = new Uri(endpoint);
                }

                return new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(key) ? "no-key" : key), options)
                    .GetChatClient(brain.Model)
                    .AsIChatClient();
            default:
                throw new ActivationFailedException($"provider '{brain.Provider}' is not supported");
        }
    }

    private string? Env(string name) => _settings.Environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private ScriptedScript LoadAgentScript(string agentName)
    {
        var path = Path.Combine(_settings.ScriptedBrain!, agentName + ".json");
        return File.Exists(path) ? ScriptedScript.Load(path) : ScriptedScript.OfflineDefault;
    }
}
