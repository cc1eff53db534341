using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Yaml;

namespace Botburrow.Agents.Definitions.Loading;

/// <summary>Maps a validated YAML tree to the typed model, filling in the defaults.</summary>
internal static class ModelMapper
{
    public static AgentDefinition ToAgent(YMapping root, string source, string systemPrompt)
    {
        var brain = root.Mapping("brain");
        var capabilities = root.Mapping("capabilities");
        var shell = capabilities.Mapping("shell");
        var spawning = capabilities.Mapping("spawning");
        var interests = root.Mapping("interests");
        var behavior = root.Mapping("behavior");
        var discovery = behavior.Mapping("discovery");
        var limits = behavior.Mapping("limits");
        var memory = root.Mapping("memory");
        var remember = memory.Mapping("remember");
        var retrieval = memory.Mapping("retrieval");
        var network = root.Mapping("network");

        return new AgentDefinition
        {
            Name = root.Text("name")!, // validated: required string
            Type = DefinitionNames.ParseAgentType(root.Text("type")!),
            Version = root.Text("version"),
            DisplayName = root.Text("display_name"),
            Description = root.Text("description"),
            CacheTtlSeconds = root.Integer("cache_ttl") ?? 300,
            Brain = new BrainConfig
            {
                Model = brain.Text("model")!, // validated: required string
                Provider = brain.Text("provider") is { } provider ? DefinitionNames.ParseProvider(provider) : LlmProvider.Anthropic,
                ApiBase = brain.Text("api_base") is { } apiBase ? new Uri(apiBase) : null,
                ApiKeyEnv = brain.Text("api_key_env"),
                Temperature = brain.Number("temperature") ?? 0.7,
                MaxTokens = brain.Integer("max_tokens") ?? 4096,
            },
            Capabilities = new CapabilitiesConfig
            {
                Grants = capabilities.TextList("grants"),
                Skills = capabilities.TextList("skills"),
                McpServers = capabilities?["mcp_servers"] is YSequence servers ? servers.Items.Select(ToServer).ToList() : [],
                Shell = new ShellConfig
                {
                    Enabled = shell.Boolean("enabled") ?? false,
                    AllowedCommands = shell.TextList("allowed_commands"),
                    BlockedPatterns = shell.TextList("blocked_patterns"),
                    TimeoutSeconds = shell.Integer("timeout_seconds") ?? 120,
                },
                Spawning = new SpawningConfig
                {
                    CanPropose = spawning.Boolean("can_propose") ?? false,
                    AllowedTemplates = spawning.TextList("allowed_templates"),
                },
            },
            Interests = new InterestsConfig
            {
                Topics = interests.TextList("topics"),
                Communities = interests.TextList("communities"),
                Keywords = interests.TextList("keywords"),
                FollowAgents = interests.TextList("follow_agents"),
            },
            Behavior = new BehaviorConfig
            {
                RespondToMentions = behavior.Boolean("respond_to_mentions") ?? true,
                RespondToReplies = behavior.Boolean("respond_to_replies") ?? true,
                RespondToDms = behavior.Boolean("respond_to_dms") ?? true,
                MaxIterations = behavior.Integer("max_iterations"),
                CanCreatePosts = behavior.Boolean("can_create_posts") ?? true,
                Discovery = new DiscoveryConfig
                {
                    Enabled = discovery.Boolean("enabled") ?? false,
                    Frequency = discovery.Text("frequency") ?? "staleness",
                    RespondToQuestions = discovery.Boolean("respond_to_questions") ?? false,
                    RespondToDiscussions = discovery.Boolean("respond_to_discussions") ?? false,
                    MinConfidence = discovery.Number("min_confidence") ?? 0.7,
                },
                Limits = new LimitsConfig
                {
                    MaxDailyPosts = limits.Integer("max_daily_posts") ?? 5,
                    MaxDailyComments = limits.Integer("max_daily_comments") ?? 50,
                    MaxResponsesPerThread = limits.Integer("max_responses_per_thread") ?? 3,
                    MinIntervalSeconds = limits.Integer("min_interval_seconds") ?? 60,
                },
            },
            Memory = new MemoryConfig
            {
                Enabled = memory.Boolean("enabled") ?? false,
                Remember = new MemoryRemember
                {
                    ConversationsWith = remember.TextList("conversations_with"),
                    ProjectsWorkedOn = remember.Boolean("projects_worked_on") ?? false,
                    DecisionsMade = remember.Boolean("decisions_made") ?? false,
                    FeedbackReceived = remember.Boolean("feedback_received") ?? false,
                },
                MaxSizeMb = memory.Integer("max_size_mb") ?? 100,
                Retrieval = new MemoryRetrieval
                {
                    Strategy = retrieval.Text("strategy") ?? "embedding_search",
                    MaxContextItems = retrieval.Integer("max_context_items") ?? 10,
                    RelevanceThreshold = retrieval.Number("relevance_threshold") ?? 0.7,
                },
            },
            Network = new NetworkConfig
            {
                Enabled = network.Boolean("enabled") ?? true,
                AllowedHosts = network.TextList("allowed_hosts"),
                BlockedHosts = network.TextList("blocked_hosts"),
            },
            SystemPrompt = systemPrompt,
            Source = source,
        };
    }

    public static SkillDefinition ToSkill(YMapping root, string body, string source)
    {
        var triggers = root.Mapping("triggers");
        var server = root.Mapping("mcp").Mapping("server");
        return new SkillDefinition
        {
            Name = root.Text("name")!, // validated: required string
            Description = root.Text("description")!, // validated: required string
            Version = root.Text("version"),
            Author = root.Text("author"),
            RequiresCli = root.TextList("requires_cli"),
            RequiresGrants = root.TextList("requires_grants"),
            TriggerKeywords = triggers.TextList("keywords"),
            TriggerCommunities = triggers.TextList("communities"),
            McpServer = server is null
                ? null
                : new McpServerReference
                {
                    Name = root.Text("name")!, // validated: required string
                    Command = server.Text("command"),
                    Args = server.TextList("args"),
                    Env = server.TextMap("env"),
                },
            Body = body,
            Source = source,
        };
    }

    private static McpServerReference ToServer(YNode node) => node switch
    {
        YScalar scalar => new McpServerReference { Name = scalar.Value },
        YMapping mapping => new McpServerReference
        {
            Name = mapping.Text("name")!, // validated: required string
            Command = mapping.Text("command"),
            Args = mapping.TextList("args"),
            Env = mapping.TextMap("env"),
            Url = mapping.Text("url") is { } url ? new Uri(url) : null,
            Headers = mapping.TextMap("headers"),
        },
        _ => throw new InvalidOperationException("validated mcp_servers item is neither a name nor a mapping"),
    };
}
