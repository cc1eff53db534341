namespace Botburrow.Agents.Grants;

/// <summary>
/// The permissions policy (<c>AGENT_PERMISSIONS_PATH</c>, the format of the original's <c>permissions.yaml</c>):
/// per agent <c>allowed_grants</c> and <c>denied_grants</c>, and a <c>default</c> for agents it does not list.
/// </summary>
public sealed record PermissionsPolicy
{
    /// <summary>No policy file: agents keep the grants they declare.</summary>
    public static PermissionsPolicy None { get; } = new() { Source = null, Agents = new Dictionary<string, GrantRule>(StringComparer.Ordinal) };

    /// <summary>The file it was read from, or <see langword="null"/> for <see cref="None"/>.</summary>
    public required string? Source { get; init; }

    public required IReadOnlyDictionary<string, GrantRule> Agents { get; init; }

    /// <summary>The rule for agents not listed; without one they get no grants.</summary>
    public GrantRule? Default { get; init; }

    /// <summary>The rule that applies to <paramref name="agentName"/> and where it comes from.</summary>
    public (GrantRule Rule, string Origin) RuleFor(string agentName)
    {
        if (Source is null)
        {
            return (GrantRule.AllowAll, "no permissions policy (AGENT_PERMISSIONS_PATH is not set): declared grants apply unchanged");
        }

        if (Agents.TryGetValue(agentName, out var rule))
        {
            return (rule, $"agents.{agentName} in {Source}");
        }

        return Default is { } fallback
            ? (fallback, $"default in {Source} (agent '{agentName}' is not listed)")
            : (GrantRule.DenyAll, $"{Source} neither lists agent '{agentName}' nor has a default: no grants");
    }
}
