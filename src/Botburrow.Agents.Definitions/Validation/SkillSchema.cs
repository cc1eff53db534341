using Botburrow.Agents.Definitions.Validation.Rules;

namespace Botburrow.Agents.Definitions.Validation;

/// <summary>The rules table of <c>skill.schema.json</c> (the front matter of <c>SKILL.md</c>).</summary>
internal static class SkillSchema
{
    private static readonly StringRule Text = new();

    public static ObjectRule Root { get; } = new(
        [
            ("name", new StringRule { Pattern = Patterns.Name(), PatternHelp = "lowercase letters, digits and hyphens", MinLength = 2, MaxLength = 50 }),
            ("description", new StringRule { MaxLength = 200 }),
            ("version", new StringRule { Pattern = Patterns.SemanticVersion(), PatternHelp = "a version like 1.0.0" }),
            ("author", Text),
            ("requires_cli", new ArrayRule(Text, unique: true)),
            ("requires_grants", new ArrayRule(GrantSyntax.Rule(), unique: true)),
            ("triggers", new ObjectRule(
            [
                ("keywords", new ArrayRule(Text)),
                ("communities", new ArrayRule(new StringRule { Pattern = Patterns.Community(), PatternHelp = "m/ followed by lowercase letters, digits and hyphens" })),
            ])),
            ("mcp", new ObjectRule(
            [
                ("server", new ObjectRule(
                    [
                        ("command", new StringRule { MinLength = 1 }),
                        ("args", new ArrayRule(Text)),
                        ("env", StringMapRule.Instance),
                    ],
                    "command")),
            ])),
        ],
        "name",
        "description");
}
