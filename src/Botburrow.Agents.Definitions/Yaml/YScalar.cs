using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;

namespace Botburrow.Agents.Definitions.Yaml;

/// <summary>A scalar and the type it resolves to.</summary>
internal sealed partial class YScalar : YNode
{
    public YScalar(string value, ScalarStyle style, int line, int column)
        : base(line, column)
    {
        Value = value;
        Kind = style is ScalarStyle.Plain or ScalarStyle.Any ? Resolve(value) : ScalarKind.String;
    }

    public string Value { get; }

    public ScalarKind Kind { get; }

    public bool? AsBoolean() => Kind == ScalarKind.Boolean ? Value.Equals("true", StringComparison.OrdinalIgnoreCase) : null;

    public long? AsInteger()
    {
        if (Kind == ScalarKind.Integer && long.TryParse(Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        if (Kind == ScalarKind.Float && AsNumber() is { } d && Math.Abs(d % 1) < double.Epsilon && Math.Abs(d) < 1e15)
        {
            return (long)d;
        }

        return null;
    }

    public double? AsNumber()
    {
        if (Kind is not (ScalarKind.Integer or ScalarKind.Float))
        {
            return null;
        }

        return double.TryParse(Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : null;
    }

    public override string Describe() => Kind switch
    {
        ScalarKind.Null => "nothing (an empty value)",
        ScalarKind.Boolean => $"the boolean {Value}",
        ScalarKind.Integer or ScalarKind.Float => $"the number {Value}",
        _ => $"the string '{Value}'",
    };

    private static ScalarKind Resolve(string value)
    {
        if (value.Length == 0 || value is "~" or "null" or "Null" or "NULL")
        {
            return ScalarKind.Null;
        }

        if (value is "true" or "True" or "TRUE" or "false" or "False" or "FALSE")
        {
            return ScalarKind.Boolean;
        }

        if (IntegerPattern().IsMatch(value))
        {
            return ScalarKind.Integer;
        }

        return FloatPattern().IsMatch(value) ? ScalarKind.Float : ScalarKind.String;
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntegerPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
