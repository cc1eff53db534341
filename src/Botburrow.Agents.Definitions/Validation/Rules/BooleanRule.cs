using Botburrow.Agents.Definitions.Yaml;

namespace Botburrow.Agents.Definitions.Validation.Rules;

/// <summary><c>true</c> or <c>false</c>.</summary>
internal sealed class BooleanRule : Rule
{
    public static BooleanRule Instance { get; } = new();

    public override string Expected => "true or false";

    public override void Check(YNode node, string path, ProblemCollector problems)
    {
        if (node is not YScalar { Kind: ScalarKind.Boolean })
        {
            WrongType(node, path, problems);
        }
    }
}
