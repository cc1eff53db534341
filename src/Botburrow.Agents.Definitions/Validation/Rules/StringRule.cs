using System.Text.RegularExpressions;
using Botburrow.Agents.Definitions.Yaml;

namespace Botburrow.Agents.Definitions.Validation.Rules;

/// <summary>A string, optionally limited to a pattern, a length, a set of values, or an absolute URI.</summary>
internal sealed class StringRule : Rule
{
    public Regex? Pattern { get; init; }

    /// <summary>How the pattern is explained to people, e.g. "lowercase letters, digits and hyphens".</summary>
    public string? PatternHelp { get; init; }

    /// <summary>When set, a mismatch reads "'VALUE' is not PATTERNMESSAGE" instead of showing the pattern.</summary>
    public string? PatternMessage { get; init; }

    public int MinLength { get; init; }

    public int MaxLength { get; init; } = int.MaxValue;

    public IReadOnlyList<string>? Allowed { get; init; }

    /// <summary>What a value of <see cref="Allowed"/> is, e.g. "agent type".</summary>
    public string AllowedWhat { get; init; } = "value";

    /// <summary>Values that are recognised but refused, with the reason.</summary>
    public IReadOnlyDictionary<string, string>? Refused { get; init; }

    public bool AbsoluteUri { get; init; }

    /// <summary>A check of the value's meaning: the problem, or <see langword="null"/> when the value is good.</summary>
    public Func<string, string?>? Validate { get; init; }

    public override string Expected => "a string";

    public override void Check(YNode node, string path, ProblemCollector problems)
    {
        if (node is not YScalar { Kind: ScalarKind.String } scalar)
        {
            WrongType(node, path, problems, node is YScalar { Kind: not ScalarKind.Null } s ? $" (quote it: \"{s.Value}\")" : null);
            return;
        }

        var value = scalar.Value;
        if (Refused is not null && Refused.TryGetValue(value, out var reason))
        {
            problems.Add(node, path, $"'{value}' {reason}; allowed: {string.Join(", ", Allowed ?? [])}");
            return;
        }

        if (Allowed is not null && !Allowed.Contains(value, StringComparer.Ordinal))
        {
            problems.Add(node, path, $"'{value}' is not a known {AllowedWhat}; allowed: {string.Join(", ", Allowed)}");
            return;
        }

        if (value.Length < MinLength || value.Length > MaxLength)
        {
            var limit = MaxLength == int.MaxValue ? $"at least {MinLength}" : MinLength == 0 ? $"at most {MaxLength}" : $"{MinLength} to {MaxLength}";
            problems.Add(node, path, $"'{Shorten(value)}' is {value.Length} characters long; allowed: {limit} characters");
        }

        if (Pattern is not null && !Pattern.IsMatch(value))
        {
            problems.Add(node, path, PatternMessage is not null
                ? $"'{Shorten(value)}' is not {PatternMessage}"
                : $"'{Shorten(value)}' does not match {Pattern}" + (PatternHelp is null ? "" : $" ({PatternHelp})"));
        }

        if (Validate?.Invoke(value) is { } problem)
        {
            problems.Add(node, path, problem);
        }

        if (AbsoluteUri && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            problems.Add(node, path, $"'{Shorten(value)}' is not an absolute http:// or https:// URL");
        }
    }

    private static string Shorten(string value) => value.Length > 60 ? value[..57] + "..." : value;
}
