using Botburrow.Agents.Definitions.Yaml;

namespace Botburrow.Agents.Definitions.Validation.Rules;

/// <summary>One entry of a rules table: checks a node and reports every problem it finds.</summary>
internal abstract class Rule
{
    /// <summary>How the expected value is named in a wrong-type message: "a string", "a whole number".</summary>
    public abstract string Expected { get; }

    public abstract void Check(YNode node, string path, ProblemCollector problems);

    protected void WrongType(YNode node, string path, ProblemCollector problems, string? hint = null)
        => problems.Add(node, path, $"expected {Expected}, got {node.Describe()}{hint}");
}
