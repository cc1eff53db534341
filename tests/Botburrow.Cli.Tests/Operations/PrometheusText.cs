using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Botburrow.Cli.Tests.Operations;

/// <summary>
/// A strict parser of the Prometheus text exposition format (0.0.4): every line must be a comment, a
/// <c># HELP</c>/<c># TYPE</c> line or a sample of a declared family; names, label names, escapes and values are
/// checked, and histograms must have cumulative buckets ending in <c>+Inf</c> equal to <c>_count</c>.
/// Anything else throws <see cref="FormatException"/> naming the line.
/// </summary>
internal static partial class PrometheusText
{
    private static readonly HashSet<string> Types = new(StringComparer.Ordinal) { "counter", "gauge", "histogram", "summary", "untyped" };

    public static IReadOnlyDictionary<string, MetricFamily> Parse(string text)
    {
        var families = new Dictionary<string, MetricFamily>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var number = i + 1;
            if (line.Length == 0)
            {
                continue; // blank lines are allowed
            }

            if (line.StartsWith('#'))
            {
                ParseComment(line, number, families);
                continue;
            }

            var sample = ParseSample(line, number);
            var family = FamilyOf(sample.Name, families) ?? throw new FormatException($"line {number}: sample '{sample.Name}' has no # TYPE");
            family.Samples.Add(sample);
        }

        foreach (var family in families.Values.Where(f => f.Type == "histogram"))
        {
            CheckHistogram(family);
        }

        return families;
    }

    private static void ParseComment(string line, int number, Dictionary<string, MetricFamily> families)
    {
        var parts = line.Split(' ', 4);
        if (parts.Length < 3 || parts[0] != "#" || (parts[1] != "HELP" && parts[1] != "TYPE"))
        {
            return; // a plain comment
        }

        var name = parts[2];
        if (!MetricName().IsMatch(name))
        {
            throw new FormatException($"line {number}: invalid metric name '{name}'");
        }

        if (parts[1] == "TYPE")
        {
            var type = parts.Length == 4 ? parts[3] : throw new FormatException($"line {number}: # TYPE without a type");
            if (!Types.Contains(type))
            {
                throw new FormatException($"line {number}: unknown type '{type}'");
            }

            if (families.TryGetValue(name, out var existing))
            {
                if (existing.Type != "untyped" || existing.Samples.Count > 0)
                {
                    throw new FormatException($"line {number}: second # TYPE for '{name}'");
                }

                families[name] = existing with { Type = type };
            }
            else
            {
                families[name] = new MetricFamily(name, type, null, []);
            }
        }
        else
        {
            var help = parts.Length == 4 ? parts[3] : "";
            families[name] = families.TryGetValue(name, out var existing)
                ? existing with { Help = help }
                : new MetricFamily(name, "untyped", help, []);
        }
    }

    private static MetricSample ParseSample(string line, int number)
    {
        var position = 0;
        while (position < line.Length && line[position] != '{' && line[position] != ' ')
        {
            position++;
        }

        var name = line[..position];
        if (!MetricName().IsMatch(name))
        {
            throw new FormatException($"line {number}: invalid metric name '{name}'");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (true)
            {
                if (position >= line.Length)
                {
                    throw new FormatException($"line {number}: unterminated label set");
                }

                if (line[position] == '}')
                {
                    position++;
                    break;
                }

                var equals = line.IndexOf('=', position);
                if (equals < 0)
                {
                    throw new FormatException($"line {number}: label without '='");
                }

                var labelName = line[position..equals];
                if (!LabelName().IsMatch(labelName))
                {
                    throw new FormatException($"line {number}: invalid label name '{labelName}'");
                }

                position = equals + 1;
                if (position >= line.Length || line[position] != '"')
                {
                    throw new FormatException($"line {number}: label value of '{labelName}' is not quoted");
                }

                position++;
                var value = new StringBuilder();
                while (true)
                {
                    if (position >= line.Length)
                    {
                        throw new FormatException($"line {number}: unterminated label value of '{labelName}'");
                    }

                    var c = line[position++];
                    if (c == '"')
                    {
                        break;
                    }

                    if (c == '\\')
                    {
                        var escaped = position < line.Length ? line[position++] : throw new FormatException($"line {number}: dangling escape");
                        value.Append(escaped switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException($"line {number}: invalid escape '\\{escaped}'"),
                        });
                    }
                    else
                    {
                        value.Append(c);
                    }
                }

                if (!labels.TryAdd(labelName, value.ToString()))
                {
                    throw new FormatException($"line {number}: label '{labelName}' repeated");
                }

                if (position < line.Length && line[position] == ',')
                {
                    position++;
                }
                else if (position >= line.Length || line[position] != '}')
                {
                    throw new FormatException($"line {number}: expected ',' or '}}' after label '{labelName}'");
                }
            }
        }

        if (position >= line.Length || line[position] != ' ')
        {
            throw new FormatException($"line {number}: expected a space before the value");
        }

        var rest = line[(position + 1)..].Split(' ');
        if (rest.Length is < 1 or > 2)
        {
            throw new FormatException($"line {number}: expected a value and an optional timestamp");
        }

        if (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw new FormatException($"line {number}: invalid timestamp '{rest[1]}'");
        }

        return new MetricSample(name, labels, ParseValue(rest[0], number));
    }

    private static double ParseValue(string text, int number) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new FormatException($"line {number}: invalid value '{text}'"),
    };

    private static MetricFamily? FamilyOf(string sampleName, Dictionary<string, MetricFamily> families)
    {
        if (families.TryGetValue(sampleName, out var exact))
        {
            return exact;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (sampleName.EndsWith(suffix, StringComparison.Ordinal)
                && families.TryGetValue(sampleName[..^suffix.Length], out var family)
                && family.Type is "histogram" or "summary")
            {
                return family;
            }
        }

        return null;
    }

    private static void CheckHistogram(MetricFamily family)
    {
        var series = family.Samples
            .GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)), StringComparer.Ordinal);
        foreach (var group in series)
        {
            var buckets = group.Where(s => s.Name == family.Name + "_bucket").ToList();
            var count = group.SingleOrDefault(s => s.Name == family.Name + "_count") ?? throw new FormatException($"{family.Name}{{{group.Key}}}: no _count");
            _ = group.SingleOrDefault(s => s.Name == family.Name + "_sum") ?? throw new FormatException($"{family.Name}{{{group.Key}}}: no _sum");
            if (buckets.Count == 0 || buckets.Any(b => !b.Labels.ContainsKey("le")))
            {
                throw new FormatException($"{family.Name}{{{group.Key}}}: buckets missing or without le");
            }

            var ordered = buckets.Select(b => (Le: ParseValue(b.Labels["le"], 0), b.Value)).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                if (ordered[i].Le <= ordered[i - 1].Le || ordered[i].Value < ordered[i - 1].Value)
                {
                    throw new FormatException($"{family.Name}{{{group.Key}}}: buckets not increasing and cumulative");
                }
            }

            if (!double.IsPositiveInfinity(ordered[^1].Le) || ordered[^1].Value != count.Value)
            {
                throw new FormatException($"{family.Name}{{{group.Key}}}: last bucket must be +Inf and equal _count");
            }
        }
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();
}
