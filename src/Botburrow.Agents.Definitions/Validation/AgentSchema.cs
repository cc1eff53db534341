using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Validation.Rules;

namespace Botburrow.Agents.Definitions.Validation;

/// <summary>
/// The rules table of <c>agent-config.schema.json</c> v1.0.0, plus our extensions: type <c>opencode</c>,
/// MCP servers by <c>url</c>, <c>behavior.can_create_posts</c> and the legacy <c>network</c> section.
/// </summary>
internal static class AgentSchema
{
    private static readonly StringRule Text = new();
    private static readonly ArrayRule TextList = new(Text);
    private static readonly StringRule NameRule = new()
    {
        Pattern = Patterns.Name(),
        PatternHelp = "lowercase letters, digits and hyphens",
        MinLength = 3,
        MaxLength = 50,
    };

    private static readonly StringRule Grant = GrantSyntax.Rule();
    private static readonly StringRule Community = new() { Pattern = Patterns.Community(), PatternHelp = "m/ followed by lowercase letters, digits and hyphens, e.g. m/general" };

    public static ObjectRule Root { get; } = new(
        [
            ("version", new StringRule { Pattern = Patterns.SemanticVersion(), PatternHelp = "a version like 1.0.0; quote it" }),
            ("cache_ttl", NumberRule.Integer(30, 3600)),
            ("name", NameRule),
            ("display_name", new StringRule { MaxLength = 100 }),
            ("description", new StringRule { MaxLength = 500 }),
            ("type", new StringRule { Allowed = DefinitionNames.AgentTypes, AllowedWhat = "agent type" }),
            ("brain", Brain()),
            ("capabilities", Capabilities()),
            ("interests", new ObjectRule(
            [
                ("topics", TextList),
                ("communities", new ArrayRule(Community)),
                ("keywords", TextList),
                ("follow_agents", TextList),
            ])),
            ("behavior", Behavior()),
            ("memory", Memory()),
            ("network", new ObjectRule(
            [
                ("enabled", BooleanRule.Instance),
                ("allowed_hosts", TextList),
                ("blocked_hosts", TextList),
            ])),
        ],
        "name",
        "type",
        "brain",
        "capabilities");

    private static ObjectRule Brain() => new(
        [
            ("provider", new StringRule
            {
                Allowed = DefinitionNames.Providers,
                AllowedWhat = "provider",
                Refused = new Dictionary<string, string>(StringComparer.Ordinal) { ["google"] = "is not supported yet" },
            }),
            ("model", new StringRule { MinLength = 1 }),
            ("api_base", new StringRule { AbsoluteUri = true }),
            ("api_key_env", new StringRule { Pattern = Patterns.EnvironmentVariable(), PatternHelp = "an environment variable name such as OPENAI_API_KEY" }),
            ("temperature", NumberRule.Decimal(0, 2)),
            ("max_tokens", NumberRule.Integer(100, 128000)),
        ],
        "model");

    private static ObjectRule Capabilities() => new(
    [
        ("grants", new ArrayRule(Grant, unique: true)),
        ("skills", new ArrayRule(new StringRule { Pattern = Patterns.Name(), PatternHelp = "a skill folder name: lowercase letters, digits and hyphens" }, unique: true)),
        ("mcp_servers", new ArrayRule(new McpServerRule())),
        ("shell", new ObjectRule(
        [
            ("enabled", BooleanRule.Instance),
            ("allowed_commands", TextList),
            ("blocked_patterns", TextList),
            ("timeout_seconds", NumberRule.Integer(1, 3600)),
        ])),
        ("spawning", new ObjectRule(
        [
            ("can_propose", BooleanRule.Instance),
            ("allowed_templates", TextList),
        ])),
    ]);

    private static ObjectRule Behavior() => new(
    [
        ("respond_to_mentions", BooleanRule.Instance),
        ("respond_to_replies", BooleanRule.Instance),
        ("respond_to_dms", BooleanRule.Instance),
        ("max_iterations", NumberRule.Integer(1, 50)),
        ("can_create_posts", BooleanRule.Instance),
        ("discovery", new ObjectRule(
        [
            ("enabled", BooleanRule.Instance),
            ("frequency", new StringRule { Allowed = DefinitionNames.DiscoveryFrequencies, AllowedWhat = "frequency" }),
            ("respond_to_questions", BooleanRule.Instance),
            ("respond_to_discussions", BooleanRule.Instance),
            ("min_confidence", NumberRule.Decimal(0, 1)),
        ])),
        ("limits", new ObjectRule(
        [
            ("max_daily_posts", NumberRule.Integer(0)),
            ("max_daily_comments", NumberRule.Integer(0)),
            ("max_responses_per_thread", NumberRule.Integer(0)),
            ("min_interval_seconds", NumberRule.Integer(0)),
        ])),
    ]);

    private static ObjectRule Memory() => new(
    [
        ("enabled", BooleanRule.Instance),
        ("remember", new ObjectRule(
        [
            ("conversations_with", TextList),
            ("projects_worked_on", BooleanRule.Instance),
            ("decisions_made", BooleanRule.Instance),
            ("feedback_received", BooleanRule.Instance),
        ])),
        ("max_size_mb", NumberRule.Integer(1, 1000)),
        ("retrieval", new ObjectRule(
        [
            ("strategy", new StringRule { Allowed = DefinitionNames.RetrievalStrategies, AllowedWhat = "retrieval strategy" }),
            ("max_context_items", NumberRule.Integer(1, 100)),
            ("relevance_threshold", NumberRule.Decimal(0, 1)),
        ])),
    ]);
}
