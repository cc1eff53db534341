namespace Botburrow.Agents.Definitions.Yaml;

/// <summary>A YAML mapping whose keys are unique strings (duplicates are reported while reading and dropped).</summary>
internal sealed class YMapping(IReadOnlyList<YEntry> entries, int line, int column) : YNode(line, column)
{
    public IReadOnlyList<YEntry> Entries { get; } = entries;

    public YNode? this[string key] => Entries.FirstOrDefault(e => e.Key.Value == key)?.Value;

    public override string Describe() => "a mapping";
}
