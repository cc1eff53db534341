using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;
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
    private readonly PermissionsPolicySource _permissions;
    private readonly ScriptedScript? _sharedScript;
    private readonly Func<AgentDefinition, IChatClient>? _brain;

    /// <summary>
    /// A factory whose agents all think with the <see cref="IChatClient"/> <paramref name="brain"/> returns (an
    /// in-memory model, for tests and embedders); no provider key is needed. The caller disposes each client it gets.
    /// </summary>
    public BrainFactory(BotburrowSettings settings, TimeProvider timeProvider, Func<AgentDefinition, IChatClient> brain)
        : this(settings, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(brain);
        _brain = brain;
    }

    public BrainFactory(BotburrowSettings settings, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _timeProvider = timeProvider;
        _permissions = new PermissionsPolicySource(settings.AgentPermissionsPath);
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
        if (IsScripted || _brain is not null)
        {
            return null;
        }

        return ProviderAccess.For(agent, _settings.Environment, _permissions).Problem;
    }

    public IChatClient Create(AgentDefinition agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (_brain is not null)
        {
            return _brain(agent);
        }

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
        var access = ProviderAccess.For(agent, _settings.Environment, _permissions);
        switch (brain.Provider)
        {
            case LlmProvider.Anthropic:
                var anthropic = access.BaseUrl is null
                    ? new AnthropicClient { ApiKey = access.Key!, MaxRetries = MaxRetries } // key checked by CheckAvailability
                    : new AnthropicClient { ApiKey = access.Key!, MaxRetries = MaxRetries, BaseUrl = WithoutVersion(access.BaseUrl) };

                return new ProviderErrorChatClient(anthropic.AsIChatClient(brain.Model, brain.MaxTokens), "anthropic", SettingNames.AnthropicApiKey, brain.Model);
            case LlmProvider.OpenAI:
            case LlmProvider.Local:
                var options = new OpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(MaxRetries) };
                if (access.BaseUrl is not null)
                {
                    options.Endpoint = new Uri(access.BaseUrl);
                }

                var provider = brain.Provider == LlmProvider.OpenAI ? "openai" : "local model at " + SecretMasker.MaskUrl(access.BaseUrl ?? "");
                var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(access.Key) ? "no-key" : access.Key), options)
                    .GetChatClient(brain.Model)
                    .AsIChatClient();
                return new ProviderErrorChatClient(client, provider, access.KeyVariable ?? "the local model's key", brain.Model);
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

    private ScriptedScript LoadAgentScript(string agentName)
    {
        var path = Path.Combine(_settings.ScriptedBrain!, agentName + ".json");
        return File.Exists(path) ? ScriptedScript.Load(path) : ScriptedScript.OfflineDefault;
    }
}
