using System.Text.RegularExpressions;

namespace Botburrow.Agents.Definitions.Validation;

/// <summary>The schema's patterns.</summary>
internal static partial class Patterns
{
    [GeneratedRegex("^[a-z0-9-]+$")]
    public static partial Regex Name();

    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    public static partial Regex SemanticVersion();

    [GeneratedRegex("^[A-Z][A-Z0-9_]*$")]
    public static partial Regex EnvironmentVariable();

    [GeneratedRegex("^m/[a-z0-9-]+$")]
    public static partial Regex Community();
}
