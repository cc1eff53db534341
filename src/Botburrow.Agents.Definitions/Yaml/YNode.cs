namespace Botburrow.Agents.Definitions.Yaml;

/// <summary>A node of a parsed YAML document with the position it started at (1-based line and column).</summary>
internal abstract class YNode
{
    protected YNode(int line, int column)
    {
        Line = line;
        Column = column;
    }

    public int Line { get; }

    public int Column { get; }

    /// <summary>How the node is named in messages: "a mapping", "a list", "the string 'x'".</summary>
    public abstract string Describe();
}
