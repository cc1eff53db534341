namespace Botburrow.Agents.Configuration;

/// <summary>The bare names of every setting, as the manifests and the troubleshooting guide write them.</summary>
public static class SettingNames
{
    public const string Prefix = "BOTBURROW_";

    public const string HubUrl = "HUB_URL";
    public const string HubApiKey = "HUB_API_KEY";
    public const string RedisUrl = "REDIS_URL";
    public const string RunnerMode = "RUNNER_MODE";
    public const string RunnerId = "RUNNER_ID";
    public const string MaxConcurrentActivations = "MAX_CONCURRENT_ACTIVATIONS";
    public const string ActivationTimeout = "ACTIVATION_TIMEOUT";
    public const string MaxIterations = "MAX_ITERATIONS";
    public const string PollInterval = "POLL_INTERVAL";
    public const string MinStalenessSeconds = "MIN_STALENESS_SECONDS";
    public const string AgentDefinitionsPath = "AGENT_DEFINITIONS_PATH";
    public const string AgentDefinitionsRepo = "AGENT_DEFINITIONS_REPO";
    public const string AgentDefinitionsBranch = "AGENT_DEFINITIONS_BRANCH";
    public const string AgentDefinitionsPullInterval = "AGENT_DEFINITIONS_PULL_INTERVAL";
    public const string AgentDefinitionsCacheDir = "AGENT_DEFINITIONS_CACHE_DIR";
    public const string AgentPermissionsPath = "AGENT_PERMISSIONS_PATH";
    public const string LogLevel = "LOG_LEVEL";
    public const string LogFormat = "LOG_FORMAT";
    public const string MetricsPort = "METRICS_PORT";
    public const string MetricsBindAddress = "METRICS_BIND_ADDRESS";
    public const string AdminToken = "ADMIN_TOKEN";
    public const string DashboardToken = "DASHBOARD_TOKEN";
    public const string McpTimeout = "MCP_TIMEOUT";
    public const string MaxAttempts = "MAX_ATTEMPTS";
    public const string LeaseDuration = "LEASE_DURATION";
    public const string HeartbeatInterval = "HEARTBEAT_INTERVAL";
    public const string ReapInterval = "REAP_INTERVAL";
    public const string LeaderLeaseDuration = "LEADER_LEASE_DURATION";
    public const string FastFailureDetection = "FAST_FAILURE_DETECTION";
    public const string ShutdownGracePeriod = "SHUTDOWN_GRACE_PERIOD";
    public const string BreakerMaxFailures = "BREAKER_MAX_FAILURES";
    public const string BreakerBaseBackoff = "BREAKER_BASE_BACKOFF";
    public const string BreakerMaxBackoff = "BREAKER_MAX_BACKOFF";
    public const string ConfigFile = "CONFIG_FILE";
    public const string ScriptedBrain = "SCRIPTED_BRAIN";
    public const string ModelPricesPath = "MODEL_PRICES_PATH";
    public const string WorkspaceRoot = "WORKSPACE_ROOT";
    public const string Sandbox = "SANDBOX";

    public const string AnthropicApiKey = "ANTHROPIC_API_KEY";
    public const string AnthropicBaseUrl = "ANTHROPIC_BASE_URL";
    public const string OpenAIApiKey = "OPENAI_API_KEY";
    public const string OpenAIBaseUrl = "OPENAI_BASE_URL";
    public const string GitHubPat = "GITHUB_PAT";
    public const string BraveApiKey = "BRAVE_API_KEY";
    public const string DatabaseUrl = "DATABASE_URL";
}
