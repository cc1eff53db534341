namespace Botburrow.Agents.Definitions.Validation;

/// <summary>Grants in definitions are checked by <see cref="Grants.Grant.TryParse"/>, the same parser the runner uses.</summary>
internal static class GrantSyntax
{
    /// <summary>A string rule that accepts exactly the grants <see cref="Grants.Grant.TryParse"/> accepts, with its message.</summary>
    public static Rules.StringRule Rule() => new() { Validate = value => Grants.Grant.TryParse(value, out _, out var error) ? null : error };
}
