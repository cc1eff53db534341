using Botburrow.Agents.Definitions.Yaml;

namespace Botburrow.Agents.Definitions.Validation.Rules;

/// <summary>A mapping with a fixed set of keys (unknown keys are refused, as <c>additionalProperties: false</c>).</summary>
internal sealed class ObjectRule(IReadOnlyList<(string Key, Rule Rule)> properties, params string[] required) : Rule
{
    public IReadOnlyList<(string Key, Rule Rule)> Properties { get; } = properties;

    public IReadOnlyList<string> Required { get; } = required;

    public override string Expected => "a mapping of keys (" + string.Join(", ", Properties.Select(p => p.Key)) + ")";

    public override void Check(YNode node, string path, ProblemCollector problems)
    {
        if (node is not YMapping mapping)
        {
            WrongType(node, path, problems);
            return;
        }

        foreach (var entry in mapping.Entries)
        {
            var childPath = YamlTreeReader.Join(path, entry.Key.Value);
            var rule = Properties.FirstOrDefault(p => p.Key == entry.Key.Value).Rule;
            if (rule is null)
            {
                problems.Add(entry.Key, childPath, "unknown key; allowed keys: " + string.Join(", ", Properties.Select(p => p.Key)));
                continue;
            }

            rule.Check(entry.Value, childPath, problems);
        }

        foreach (var key in Required)
        {
            if (mapping[key] is null)
            {
                problems.Add(mapping, YamlTreeReader.Join(path, key), "required key is missing");
            }
        }
    }
}
