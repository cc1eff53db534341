using Botburrow.Agents.Definitions.Yaml;

namespace Botburrow.Agents.Definitions.Validation.Rules;

/// <summary>A mapping of free keys to string values (environment variables, headers).</summary>
internal sealed class StringMapRule : Rule
{
    private static readonly StringRule Value = new();

    public static StringMapRule Instance { get; } = new();

    public override string Expected => "a mapping of names to strings";

    public override void Check(YNode node, string path, ProblemCollector problems)
    {
        if (node is not YMapping mapping)
        {
            WrongType(node, path, problems);
            return;
        }

        foreach (var entry in mapping.Entries)
        {
            Value.Check(entry.Value, YamlTreeReader.Join(path, entry.Key.Value), problems);
        }
    }
}
