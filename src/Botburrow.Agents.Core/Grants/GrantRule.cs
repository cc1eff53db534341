namespace Botburrow.Agents.Grants;

/// <summary>
/// The allowed and denied grant patterns the permissions policy sets for one agent (or the default), and the
/// provider-key variables beyond the provider's own that the agent's <c>brain.api_key_env</c> may name.
/// </summary>
public sealed record GrantRule
{
    /// <summary>Everything allowed, nothing denied: what applies when there is no policy file.</summary>
    public static GrantRule AllowAll { get; } = new() { Allowed = [Grant.Parse("*:*")], Denied = [] };

    /// <summary>Nothing allowed: what applies to an agent a policy neither lists nor covers with a <c>default</c>.</summary>
    public static GrantRule DenyAll { get; } = new() { Allowed = [], Denied = [] };

    public required IReadOnlyList<Grant> Allowed { get; init; }

    public required IReadOnlyList<Grant> Denied { get; init; }

    /// <summary>
    /// <c>provider_keys</c>: environment variables the agent's <c>brain.api_key_env</c> may name besides its provider's
    /// own key (<c>OPENAI_API_KEY</c> for provider openai). Empty: the provider's own key only.
    /// </summary>
    public IReadOnlyList<string> ProviderKeys { get; init; } = [];
}
