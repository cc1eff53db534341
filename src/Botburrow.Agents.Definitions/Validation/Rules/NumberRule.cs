using System.Globalization;
using Botburrow.Agents.Definitions.Yaml;

namespace Botburrow.Agents.Definitions.Validation.Rules;

/// <summary>A number (whole when <see cref="WholeNumber"/>) within an inclusive range.</summary>
internal sealed class NumberRule(double? minimum, double? maximum, bool wholeNumber) : Rule
{
    public bool WholeNumber { get; } = wholeNumber;

    public override string Expected => WholeNumber ? "a whole number" : "a number";

    public static NumberRule Integer(double? minimum = null, double? maximum = null) => new(minimum, maximum, wholeNumber: true);

    public static NumberRule Decimal(double? minimum = null, double? maximum = null) => new(minimum, maximum, wholeNumber: false);

    public override void Check(YNode node, string path, ProblemCollector problems)
    {
        if (node is not YScalar scalar || scalar.AsNumber() is not { } number || (WholeNumber && scalar.AsInteger() is null))
        {
            WrongType(node, path, problems, Range() is { } range ? $" {range}" : null);
            return;
        }

        if ((minimum is { } min && number < min) || (maximum is { } max && number > max))
        {
            problems.Add(node, path, $"{scalar.Value} is out of range {Range()}");
        }
    }

    private string? Range()
    {
        var min = minimum?.ToString(CultureInfo.InvariantCulture);
        var max = maximum?.ToString(CultureInfo.InvariantCulture);
        return (min, max) switch
        {
            (not null, not null) => $"({min} to {max})",
            (not null, null) => $"(at least {min})",
            (null, not null) => $"(at most {max})",
            _ => null,
        };
    }
}
