namespace Botburrow.Agents.Definitions.Yaml;

/// <summary>A YAML sequence (a list).</summary>
internal sealed class YSequence(IReadOnlyList<YNode> items, int line, int column) : YNode(line, column)
{
    public IReadOnlyList<YNode> Items { get; } = items;

    public override string Describe() => "a list";
}
