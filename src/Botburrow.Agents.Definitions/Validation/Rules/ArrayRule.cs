using Botburrow.Agents.Definitions.Yaml;

namespace Botburrow.Agents.Definitions.Validation.Rules;

/// <summary>A list whose items follow one rule; with <see cref="Unique"/> a repeated item is refused.</summary>
internal sealed class ArrayRule(Rule items, bool unique = false) : Rule
{
    public Rule Items { get; } = items;

    public bool Unique { get; } = unique;

    public override string Expected => "a list";

    public override void Check(YNode node, string path, ProblemCollector problems)
    {
        if (node is not YSequence sequence)
        {
            WrongType(node, path, problems, node is YScalar { Kind: ScalarKind.Null } ? " (write [] for an empty list)" : " (write one '- item' per line)");
            return;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < sequence.Items.Count; i++)
        {
            var item = sequence.Items[i];
            var itemPath = $"{path}[{i}]";
            Items.Check(item, itemPath, problems);
            if (Unique && item is YScalar scalar)
            {
                if (seen.TryGetValue(scalar.Value, out var first))
                {
                    problems.Add(item, itemPath, $"'{scalar.Value}' is listed twice (first at {path}[{first}]); items must be unique");
                }
                else
                {
                    seen[scalar.Value] = i;
                }
            }
        }
    }
}
