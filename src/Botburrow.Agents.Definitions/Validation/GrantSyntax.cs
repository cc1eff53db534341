using System.Text.RegularExpressions;

namespace Botburrow.Agents.Definitions.Validation;

/// <summary>The syntax of a capability grant: <c>service:action[:resource]</c>, each segment a name or <c>*</c>.</summary>
public static partial class GrantSyntax
{
    /// <summary>Explains the syntax in messages.</summary>
    public const string Help = "service:action[:resource], each segment lowercase letters, digits and hyphens or *, e.g. github:read, hub:*";

    public static bool IsValid(string grant) => Pattern().IsMatch(grant);

    [GeneratedRegex(@"^(?:[a-z0-9-]+|\*):(?:[a-z0-9-]+|\*)(?::(?:[a-z0-9-]+|\*))?$")]
    internal static partial Regex Pattern();
}
