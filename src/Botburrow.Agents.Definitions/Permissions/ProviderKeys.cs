using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Grants;

namespace Botburrow.Agents.Definitions.Permissions;

/// <summary>
/// Which environment variable an agent's <c>brain.api_key_env</c> may name. A definition is untrusted input, and its
/// key is sent as a bearer token to the URL the same definition names (<c>brain.api_base</c>), so the variable must
/// be a model provider's key: the provider's own (<c>OPENAI_API_KEY</c> for provider openai; provider anthropic
/// reads only <c>ANTHROPIC_API_KEY</c>), or one the permissions policy lists in <c>provider_keys</c> for that agent
/// (or its <c>default</c>). Without a policy only the provider's own key is allowed; provider local has none of its
/// own. A fleet secret or setting (<c>GITHUB_PAT</c>, <c>HUB_API_KEY</c>, <c>DATABASE_URL</c>, any
/// <c>BOTBURROW_</c> name…) and well-known credentials of other services (<c>AWS_*</c>, <c>GITHUB_*</c>…) are never
/// allowed, not even through the policy.
/// </summary>
public static class ProviderKeys
{
    /// <summary>The <c>provider_keys</c> key of the permissions policy.</summary>
    public const string PolicyKey = "provider_keys";

    private static readonly string[] ModelKeySettings = [SettingNames.AnthropicApiKey, SettingNames.OpenAIApiKey];

    /// <summary>Prefixes of other services' variables: cloud, source hosting and cluster credentials.</summary>
    private static readonly string[] ForeignPrefixes = ["AWS_", "GITHUB_", "GITLAB_", "KUBERNETES_", "DOCKER_", "SSH_", "ACTIONS_", "RUNNER_", "CI_"];

    /// <summary>Variables that hold other services' credentials or the process's own state, never a model key.</summary>
    private static readonly HashSet<string> ForeignNames = new(StringComparer.Ordinal)
    {
        "GH_TOKEN", "GOOGLE_APPLICATION_CREDENTIALS", "AZURE_CLIENT_SECRET", "AZURE_CLIENT_CERTIFICATE_PASSWORD",
        "ARM_CLIENT_SECRET", "NPM_TOKEN", "NUGET_API_KEY", "PYPI_TOKEN", "TWINE_PASSWORD", "KUBECONFIG", "VAULT_TOKEN",
        "PGPASSWORD", "MYSQL_PWD", "SLACK_TOKEN", "SLACK_BOT_TOKEN", "STRIPE_SECRET_KEY", "SENTRY_AUTH_TOKEN",
        "PATH", "HOME", "USER", "PWD", "SHELL", "HOSTNAME", "LD_PRELOAD", "LD_LIBRARY_PATH",
    };

    /// <summary>The variable <paramref name="provider"/> reads its key from by default, or <see langword="null"/> (provider local has none).</summary>
    public static string? OwnVariable(LlmProvider provider) => provider switch
    {
        LlmProvider.Anthropic => SettingNames.AnthropicApiKey,
        LlmProvider.OpenAI => SettingNames.OpenAIApiKey,
        _ => null,
    };

    /// <summary>
    /// Why <paramref name="variable"/> can never hold a model key (a fleet secret or setting, or another service's
    /// credential), or <see langword="null"/> when it may be a provider key.
    /// </summary>
    public static string? NeverAllowed(string variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        if (variable.StartsWith(SettingNames.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return $"is a fleet setting ({SettingNames.Prefix}*), never a model key";
        }

        if (SettingsCatalog.Find(variable) is { } setting && !ModelKeySettings.Contains(setting.Name, StringComparer.Ordinal))
        {
            return setting.IsSecret || setting.IsCredential
                ? $"is a fleet secret ({setting.Name}: {setting.Description.TrimEnd('.')}), never a model key"
                : $"is a fleet setting ({setting.Name}), never a model key";
        }

        if (ForeignNames.Contains(variable) || ForeignPrefixes.Any(p => variable.StartsWith(p, StringComparison.Ordinal)))
        {
            return "holds another service's credential or the process's state, never a model key";
        }

        return null;
    }

    /// <summary>
    /// Why agent <paramref name="agentName"/> (provider <paramref name="provider"/>) may not name
    /// <paramref name="variable"/> as its <c>brain.api_key_env</c>, or <see langword="null"/> when it may.
    /// The policy is read only when the variable is not the provider's own key (and never for provider anthropic);
    /// a policy that cannot be read refuses the variable.
    /// </summary>
    public static string? Check(string agentName, LlmProvider provider, string variable, PermissionsPolicySource? permissions)
    {
        ArgumentNullException.ThrowIfNull(agentName);
        ArgumentNullException.ThrowIfNull(variable);
        var policy = PermissionsPolicy.None;
        if (permissions?.Path is not null && variable != OwnVariable(provider) && provider != LlmProvider.Anthropic)
        {
            try
            {
                policy = permissions.Current();
            }
            catch (PermissionsPolicyException ex)
            {
                return NeverAllowed(variable) is { } never
                    ? $"'{variable}' {never}; the permissions policy cannot be read either: {ex.Message}"
                    : $"'{variable}' cannot be checked against the permissions policy, so it is refused: {ex.Message}";
            }
        }

        return Check(agentName, provider, variable, policy);
    }

    /// <summary><see cref="Check(string, LlmProvider, string, PermissionsPolicySource?)"/> under a policy already read.</summary>
    public static string? Check(string agentName, LlmProvider provider, string variable, PermissionsPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(agentName);
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(policy);
        var own = OwnVariable(provider);
        if (NeverAllowed(variable) is { } never)
        {
            return $"'{variable}' {never}; {Allowed(agentName, provider, policy)}";
        }

        if (variable == own)
        {
            return null;
        }

        if (provider != LlmProvider.Anthropic && policy.Source is not null && policy.RuleFor(agentName).Rule.ProviderKeys.Contains(variable, StringComparer.Ordinal))
        {
            return null;
        }

        return $"'{variable}' is not a provider key this agent may read; {Allowed(agentName, provider, policy)}";
    }

    /// <summary>What the agent's <c>brain.api_key_env</c> may name, in words.</summary>
    private static string Allowed(string agentName, LlmProvider provider, PermissionsPolicy policy)
    {
        if (provider == LlmProvider.Anthropic)
        {
            return $"provider anthropic reads only {SettingNames.AnthropicApiKey}, so api_key_env may name only it";
        }

        var own = OwnVariable(provider) is { } variable ? $"{variable} (provider {provider.ToYaml()}'s own key)" : null;
        string fromPolicy;
        if (policy.Source is null)
        {
            fromPolicy = $"a variable the permissions policy lists in {PolicyKey} for the agent (no policy: {SettingNames.AgentPermissionsPath} is not set)";
        }
        else
        {
            var (rule, origin) = policy.RuleFor(agentName);
            fromPolicy = rule.ProviderKeys.Count == 0
                ? $"a variable the permissions policy lists in {PolicyKey} for the agent (none: {origin})"
                : $"{string.Join(", ", rule.ProviderKeys)} ({PolicyKey} of {origin})";
        }

        return own is null ? $"allowed: {fromPolicy}" : $"allowed: {own} or {fromPolicy}";
    }
}
