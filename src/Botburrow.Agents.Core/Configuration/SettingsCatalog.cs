namespace Botburrow.Agents.Configuration;

/// <summary>Every setting the system reads. The single source for parsing, <c>config show</c> and the docs.</summary>
public static class SettingsCatalog
{
    private static readonly string[] RunnerModes = ["notification", "exploration", "hybrid"];
    private static readonly string[] LogLevels = ["Trace", "Debug", "Information", "Warning", "Error", "Critical", "None", "TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "CRITICAL"];
    private static readonly string[] LogFormats = ["json", "console"];
    private static readonly string[] SandboxModes = ["auto", "required", "off"];

    public static IReadOnlyList<SettingDefinition> All { get; } =
    [
        new() { Name = SettingNames.HubUrl, Kind = SettingKind.Url, Description = "Hub base URL (required for coordinator and runner; `up` embeds a Hub)." },
        new() { Name = SettingNames.HubApiKey, IsSecret = true, Description = "Bearer key for the Hub API." },
        new() { Name = SettingNames.RedisUrl, Aliases = ["VALKEY_URL"], Kind = SettingKind.Url, IsSecret = true, Description = "Redis/Valkey URL, e.g. redis://:password@host:6379/0 (required for coordinator and runner)." },
        new() { Name = SettingNames.RunnerMode, Kind = SettingKind.Choice, Choices = RunnerModes, DefaultValue = "hybrid", Description = "Which task types a runner claims: notification (INBOX), exploration (DISCOVERY) or hybrid (both)." },
        new() { Name = SettingNames.RunnerId, Description = "Unique runner identity (default: HOSTNAME, else host-pid)." },
        new() { Name = SettingNames.MaxConcurrentActivations, Kind = SettingKind.WholeNumber, Minimum = 1, Maximum = 256, DefaultValue = "1", Description = "Activations one runner runs at once." },
        new() { Name = SettingNames.ActivationTimeout, Kind = SettingKind.Duration, Minimum = 1, DefaultValue = "600", Description = "Wall-clock limit per activation; the run is cancelled and its processes killed." },
        new() { Name = SettingNames.MaxIterations, Kind = SettingKind.WholeNumber, Minimum = 1, Maximum = 50, DefaultValue = "10", Description = "Default LLM loop cap when the agent sets none." },
        new() { Name = SettingNames.PollInterval, Kind = SettingKind.Duration, Minimum = 1, DefaultValue = "30", Description = "Listing interval when the Hub has no long-poll." },
        new() { Name = SettingNames.MinStalenessSeconds, Aliases = ["MIN_ACTIVATION_INTERVAL"], Kind = SettingKind.Duration, Minimum = 1, DefaultValue = "900", Description = "An agent with discovery enabled not activated for this long gets DISCOVERY work." },
        new() { Name = SettingNames.AgentDefinitionsPath, DefaultValue = "/configs/agent-definitions", Description = "Directory of agent definitions (git-sync layout agents/<name>/config.yaml)." },
        new() { Name = SettingNames.AgentDefinitionsRepo, Description = "Git repository (URL or local path) to clone definitions from; GitHub `owner/repo` reads raw files." },
        new() { Name = SettingNames.AgentDefinitionsBranch, DefaultValue = "main", Description = "Branch of AGENT_DEFINITIONS_REPO." },
        new() { Name = SettingNames.AgentDefinitionsPullInterval, Kind = SettingKind.Duration, Minimum = 1, DefaultValue = "60", Description = "How often a cloned definitions repository is pulled." },
        new() { Name = SettingNames.AgentDefinitionsCacheDir, Description = "Where a definitions repository is cloned (default: a folder under the user's cache directory)." },
        new() { Name = SettingNames.AgentPermissionsPath, Description = "Permissions policy file (allowed/denied grants per agent and a default)." },
        new() { Name = SettingNames.LogLevel, Kind = SettingKind.Choice, Choices = LogLevels, DefaultValue = "Information", Description = "Minimum log level (Debug, Information, Warning…; DEBUG/INFO/WARN spellings accepted)." },
        new() { Name = SettingNames.LogFormat, Kind = SettingKind.Choice, Choices = LogFormats, DefaultValue = "json", Description = "json (one JSON object per line) or console (for people; the default of `up`)." },
        new() { Name = SettingNames.MetricsPort, Kind = SettingKind.WholeNumber, Minimum = 0, Maximum = 65535, Description = "Port for metrics, health and the dashboard (default 9090 coordinator, 9091 runner)." },
        new() { Name = SettingNames.MetricsBindAddress, DefaultValue = "127.0.0.1", Description = "IP address the metrics, health and dashboard port listens on: 127.0.0.1 (this machine only) or 0.0.0.0 (all interfaces; the Kubernetes manifests set it so probes and Prometheus reach the pod IP)." },
        new() { Name = SettingNames.AdminToken, IsSecret = true, Description = "Required by mutating HTTP endpoints (cache webhook, dashboard actions)." },
        new() { Name = SettingNames.DashboardToken, IsSecret = true, Description = "Read-only token for the dashboard page, its JSON and transcripts (ADMIN_TOKEN is accepted too); `up` makes a random one when unset." },
        new() { Name = SettingNames.McpTimeout, Kind = SettingKind.Duration, Minimum = 1, DefaultValue = "30", Description = "Per-call timeout for MCP tool calls." },
        new() { Name = SettingNames.MaxAttempts, Kind = SettingKind.WholeNumber, Minimum = 1, Maximum = 100, DefaultValue = "3", Description = "Attempts per work item before it goes to work:dead." },
        new() { Name = SettingNames.LeaseDuration, Kind = SettingKind.Duration, Minimum = 1, DefaultValue = "15", Description = "Lease of a claimed work item; a runner that stops heartbeating loses it after this long." },
        new() { Name = SettingNames.HeartbeatInterval, Kind = SettingKind.Duration, Minimum = 1, DefaultValue = "5", Description = "How often a runner renews its leases and heartbeat." },
        new() { Name = SettingNames.ReapInterval, Kind = SettingKind.Duration, Minimum = 1, DefaultValue = "5", Description = "How often the leader requeues work whose lease expired." },
        new() { Name = SettingNames.FastFailureDetection, Kind = SettingKind.Choice, Choices = ["true", "false"], DefaultValue = "true", Description = "A runner or leader whose named Redis connection is gone (CLIENT LIST) counts as dead within about a second; the lease stays the fallback where connections are not visible." },
        new() { Name = SettingNames.LeaderLeaseDuration, Kind = SettingKind.Duration, Minimum = 1, DefaultValue = "8", Description = "Leader lease in coordinator:leader; failover after a crash takes at most this long plus one renewal." },
        new() { Name = SettingNames.ShutdownGracePeriod, Kind = SettingKind.Duration, Minimum = 0, DefaultValue = "30", Description = "On SIGTERM, how long running activations may finish before they are handed back." },
        new() { Name = SettingNames.BreakerMaxFailures, Kind = SettingKind.WholeNumber, Minimum = 1, Maximum = 1000, DefaultValue = "5", Description = "Consecutive failures before an agent backs off." },
        new() { Name = SettingNames.BreakerBaseBackoff, Kind = SettingKind.Duration, Minimum = 1, DefaultValue = "60", Description = "First backoff of the circuit breaker; doubles per further failure." },
        new() { Name = SettingNames.BreakerMaxBackoff, Kind = SettingKind.Duration, Minimum = 1, DefaultValue = "3600", Description = "Longest circuit-breaker backoff." },
        new() { Name = SettingNames.ScriptedBrain, Description = "Test double for every agent's model: `offline` (a labelled echo), a script file, or a folder of `<agent>.json` scripts. Never intelligence; `up --offline` sets it." },
        new() { Name = SettingNames.WorkspaceRoot, Description = "Folder under which each activation gets its own workspace, removed when it ends (default: botburrow-workspaces in the system temp folder; the manifests mount /workspaces)." },
        new() { Name = SettingNames.Sandbox, Kind = SettingKind.Choice, Choices = SandboxModes, DefaultValue = "auto", Description = "Confinement of CLI tools and stdio MCP servers in bubblewrap: auto (when bwrap works here, else a warning and none), required (a child that cannot be confined fails its activation) or off." },
        new() { Name = SettingNames.ModelPricesPath, Description = "JSON price table overriding the built-in model prices (USD per million tokens)." },
        new() { Name = SettingNames.AnthropicApiKey, IsSecret = true, IsCredential = true, Description = "Anthropic API key (agents with provider anthropic)." },
        new() { Name = SettingNames.AnthropicBaseUrl, Kind = SettingKind.Url, IsCredential = true, Description = "Anthropic API base URL override." },
        new() { Name = SettingNames.OpenAIApiKey, IsSecret = true, IsCredential = true, Description = "OpenAI API key (agents with provider openai)." },
        new() { Name = SettingNames.OpenAIBaseUrl, Kind = SettingKind.Url, IsCredential = true, Description = "OpenAI-compatible base URL override." },
        new() { Name = SettingNames.GitHubPat, IsSecret = true, IsCredential = true, Description = "GitHub token, handed to the github MCP server of agents granted github:*." },
        new() { Name = SettingNames.BraveApiKey, IsSecret = true, IsCredential = true, Description = "Brave Search key, handed to agents granted brave:search." },
        new() { Name = SettingNames.DatabaseUrl, IsSecret = true, IsCredential = true, Description = "PostgreSQL URL, handed to agents granted postgres:*." },
    ];

    private static readonly Dictionary<string, SettingDefinition> ByName = BuildIndex();

    /// <summary>Finds a setting by its bare name, alias, or <c>BOTBURROW_</c>-prefixed form.</summary>
    public static SettingDefinition? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var bare = name.StartsWith(SettingNames.Prefix, StringComparison.OrdinalIgnoreCase) ? name[SettingNames.Prefix.Length..] : name;
        return ByName.GetValueOrDefault(bare);
    }

    private static Dictionary<string, SettingDefinition> BuildIndex()
    {
        var index = new Dictionary<string, SettingDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var definition in All)
        {
            index.Add(definition.Name, definition);
            foreach (var alias in definition.Aliases)
            {
                index.Add(alias, definition);
            }
        }

        return index;
    }
}
