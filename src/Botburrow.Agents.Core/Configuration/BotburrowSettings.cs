using System.Globalization;
using System.Net;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Configuration;

/// <summary>
/// The effective settings of one process. Every value is parsed and checked on construction, so a bad value
/// stops the process at start with one line naming it.
/// </summary>
public sealed class BotburrowSettings
{
    private readonly IReadOnlyDictionary<string, SettingValue> _values;

    internal BotburrowSettings(IReadOnlyDictionary<string, SettingValue> values, IReadOnlyDictionary<string, string?> environment)
    {
        _values = values;
        Environment = environment;

        HubUrl = ParseUrl(SettingNames.HubUrl);
        HubApiKey = Text(SettingNames.HubApiKey);
        RedisUrl = ParseRedisUrl(SettingNames.RedisUrl);
        RunnerMode = Enum.Parse<RunnerMode>(Text(SettingNames.RunnerMode)!, ignoreCase: true);
        RunnerId = Text(SettingNames.RunnerId) ?? DefaultRunnerId(environment);
        MaxConcurrentActivations = (int)ParseInteger(SettingNames.MaxConcurrentActivations)!.Value;
        ActivationTimeout = ParseDuration(SettingNames.ActivationTimeout)!.Value;
        MaxIterations = (int)ParseInteger(SettingNames.MaxIterations)!.Value;
        PollInterval = ParseDuration(SettingNames.PollInterval)!.Value;
        MinStaleness = ParseDuration(SettingNames.MinStalenessSeconds)!.Value;
        AgentDefinitionsPath = Text(SettingNames.AgentDefinitionsPath)!;
        AgentDefinitionsRepo = Text(SettingNames.AgentDefinitionsRepo);
        AgentDefinitionsBranch = Text(SettingNames.AgentDefinitionsBranch)!;
        AgentDefinitionsPullInterval = ParseDuration(SettingNames.AgentDefinitionsPullInterval)!.Value;
        AgentDefinitionsCacheDir = Text(SettingNames.AgentDefinitionsCacheDir)
            ?? Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.LocalApplicationData, System.Environment.SpecialFolderOption.DoNotVerify) is { Length: > 0 } local ? local : Path.GetTempPath(), "botburrow", "definitions");
        AgentPermissionsPath = Text(SettingNames.AgentPermissionsPath);
        LogLevel = ParseLogLevel(Text(SettingNames.LogLevel)!);
        LogFormat = Text(SettingNames.LogFormat)!.ToLowerInvariant();
        MetricsPort = (int?)ParseInteger(SettingNames.MetricsPort);
        MetricsBindAddress = ParseIpAddress(SettingNames.MetricsBindAddress)!; // has a default, so never null
        AdminToken = Text(SettingNames.AdminToken);
        DashboardToken = Text(SettingNames.DashboardToken);
        McpTimeout = ParseDuration(SettingNames.McpTimeout)!.Value;
        MaxAttempts = (int)ParseInteger(SettingNames.MaxAttempts)!.Value;
        LeaseDuration = ParseDuration(SettingNames.LeaseDuration)!.Value;
        HeartbeatInterval = ParseDuration(SettingNames.HeartbeatInterval)!.Value;
        ReapInterval = ParseDuration(SettingNames.ReapInterval)!.Value;
        LeaderLeaseDuration = ParseDuration(SettingNames.LeaderLeaseDuration)!.Value;
        FastFailureDetection = string.Equals(Text(SettingNames.FastFailureDetection), "true", StringComparison.OrdinalIgnoreCase);
        ShutdownGracePeriod = ParseDuration(SettingNames.ShutdownGracePeriod)!.Value;
        BreakerMaxFailures = (int)ParseInteger(SettingNames.BreakerMaxFailures)!.Value;
        BreakerBaseBackoff = ParseDuration(SettingNames.BreakerBaseBackoff)!.Value;
        BreakerMaxBackoff = ParseDuration(SettingNames.BreakerMaxBackoff)!.Value;
        ScriptedBrain = Text(SettingNames.ScriptedBrain);
        ModelPricesPath = Text(SettingNames.ModelPricesPath);
        WorkspaceRoot = Text(SettingNames.WorkspaceRoot) ?? Work.ActivationWorkspace.DefaultRoot;
        Sandbox = Enum.Parse<Isolation.SandboxMode>(Text(SettingNames.Sandbox)!, ignoreCase: true);

        if (HeartbeatInterval >= LeaseDuration)
        {
            throw new SettingsException($"{SettingNames.HeartbeatInterval} ({HeartbeatInterval.TotalSeconds}s) must be shorter than {SettingNames.LeaseDuration} ({LeaseDuration.TotalSeconds}s)");
        }
    }

    /// <summary>The environment the settings were read from; executors pick granted credentials from it.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; }

    public Uri? HubUrl { get; }

    public string? HubApiKey { get; }

    public string? RedisUrl { get; }

    public RunnerMode RunnerMode { get; }

    public string RunnerId { get; }

    public int MaxConcurrentActivations { get; }

    public TimeSpan ActivationTimeout { get; }

    public int MaxIterations { get; }

    public TimeSpan PollInterval { get; }

    public TimeSpan MinStaleness { get; }

    public string AgentDefinitionsPath { get; }

    public string? AgentDefinitionsRepo { get; }

    public string AgentDefinitionsBranch { get; }

    public TimeSpan AgentDefinitionsPullInterval { get; }

    public string AgentDefinitionsCacheDir { get; }

    public string? AgentPermissionsPath { get; }

    public LogLevel LogLevel { get; }

    /// <summary><c>json</c> or <c>console</c>.</summary>
    public string LogFormat { get; }

    public int? MetricsPort { get; }

    /// <summary>The address the metrics, health and dashboard port listens on (<c>METRICS_BIND_ADDRESS</c>, default loopback).</summary>
    public IPAddress MetricsBindAddress { get; }

    public string? AdminToken { get; }

    /// <summary>The read-only dashboard token (<c>DASHBOARD_TOKEN</c>); <see cref="AdminToken"/> reads the dashboard too.</summary>
    public string? DashboardToken { get; }

    public TimeSpan McpTimeout { get; }

    public int MaxAttempts { get; }

    public TimeSpan LeaseDuration { get; }

    public TimeSpan HeartbeatInterval { get; }

    public TimeSpan ReapInterval { get; }

    public TimeSpan LeaderLeaseDuration { get; }

    /// <summary>Whether dead lease holders are detected by their Redis connection (<c>FAST_FAILURE_DETECTION</c>).</summary>
    public bool FastFailureDetection { get; }

    public TimeSpan ShutdownGracePeriod { get; }

    public int BreakerMaxFailures { get; }

    public TimeSpan BreakerBaseBackoff { get; }

    public TimeSpan BreakerMaxBackoff { get; }

    /// <summary><c>offline</c>, a script file or a folder of scripts; <see langword="null"/> for real models.</summary>
    public string? ScriptedBrain { get; }

    public string? ModelPricesPath { get; }

    /// <summary>How CLI tools and stdio MCP servers are confined (<c>SANDBOX</c>). <value>auto.</value></summary>
    public Isolation.SandboxMode Sandbox { get; }

    /// <summary>Where per-activation workspaces are made (<c>WORKSPACE_ROOT</c>).</summary>
    public string WorkspaceRoot { get; }

    /// <summary>Every setting with its effective text and source, in catalog order.</summary>
    public IEnumerable<SettingValue> Values => SettingsCatalog.All.Select(d => _values[d.Name]);

    /// <summary>The effective text of a setting, by bare name or alias.</summary>
    public string? Get(string name)
    {
        var definition = SettingsCatalog.Find(name) ?? throw new ArgumentException($"Unknown setting '{name}'", nameof(name));
        return _values[definition.Name].Text;
    }

    /// <summary>True when the setting was given (flag, environment or file) rather than defaulted.</summary>
    public bool IsGiven(string name)
    {
        var definition = SettingsCatalog.Find(name) ?? throw new ArgumentException($"Unknown setting '{name}'", nameof(name));
        var source = _values[definition.Name].Source;
        return source is not "default" and not "unset";
    }

    /// <summary>Stops the verb with <c>NAME is required for 'botburrow VERB'</c> when a setting is missing.</summary>
    public void Require(string name, string verb)
    {
        if (string.IsNullOrEmpty(Get(name)))
        {
            throw new SettingsException($"{name} is required for 'botburrow {verb}'");
        }
    }

    /// <summary>
    /// The value as <c>config show</c> prints it: secrets masked; in a URL (a URL setting, or a URL inside any other
    /// value such as <c>AGENT_DEFINITIONS_REPO</c>) the userinfo and secret-looking query parameters masked.
    /// </summary>
    public static string Display(SettingValue value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Text is null)
        {
            return "(not set)";
        }

        if (value.Definition.Kind == SettingKind.Url && (value.Text.Contains('@', StringComparison.Ordinal) || !value.Definition.IsSecret))
        {
            return SecretMasker.MaskUrl(value.Text);
        }

        return value.Definition.IsSecret ? SecretMasker.MaskSecret(value.Text) : SecretMasker.MaskUrls(value.Text);
    }

    /// <summary>Parses <c>600</c>, <c>600s</c>, <c>1.5</c>, <c>500ms</c>, <c>10m</c> or <c>1h</c>.</summary>
    public static bool TryParseDuration(string text, out TimeSpan duration)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().ToLowerInvariant();
        double factor = 1;
        if (trimmed.EndsWith("ms", StringComparison.Ordinal))
        {
            factor = 0.001;
            trimmed = trimmed[..^2];
        }
        else if (trimmed.EndsWith('s'))
        {
            trimmed = trimmed[..^1];
        }
        else if (trimmed.EndsWith('m'))
        {
            factor = 60;
            trimmed = trimmed[..^1];
        }
        else if (trimmed.EndsWith('h'))
        {
            factor = 3600;
            trimmed = trimmed[..^1];
        }

        if (double.TryParse(trimmed, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && number >= 0 && !double.IsInfinity(number))
        {
            duration = TimeSpan.FromSeconds(number * factor);
            return true;
        }

        duration = default;
        return false;
    }

    private static string DefaultRunnerId(IReadOnlyDictionary<string, string?> environment)
        => environment.TryGetValue("HOSTNAME", out var host) && !string.IsNullOrEmpty(host)
            ? host
            : string.Create(CultureInfo.InvariantCulture, $"{System.Environment.MachineName.ToLowerInvariant()}-{System.Environment.ProcessId}");

    private static LogLevel ParseLogLevel(string text) => text.ToUpperInvariant() switch
    {
        "TRACE" => LogLevel.Trace,
        "DEBUG" => LogLevel.Debug,
        "INFO" or "INFORMATION" => LogLevel.Information,
        "WARN" or "WARNING" => LogLevel.Warning,
        "ERROR" => LogLevel.Error,
        "CRITICAL" => LogLevel.Critical,
        _ => LogLevel.None,
    };

    private string? Text(string name)
    {
        var value = _values[name];
        if (value.Text is null)
        {
            return null;
        }

        if (value.Definition.Kind == SettingKind.Choice
            && !value.Definition.Choices.Contains(value.Text, StringComparer.OrdinalIgnoreCase))
        {
            throw Invalid(value, "one of " + string.Join(", ", value.Definition.Choices.Distinct(StringComparer.OrdinalIgnoreCase)));
        }

        return value.Text;
    }

    private Uri? ParseUrl(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw Invalid(_values[name], "an absolute http:// or https:// URL");
        }

        return uri;
    }

    private string? ParseRedisUrl(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        var ok = text.StartsWith("redis://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("valkey://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("valkeys://", StringComparison.OrdinalIgnoreCase);
        if (!ok || !Uri.TryCreate(text, UriKind.Absolute, out _))
        {
            throw Invalid(_values[name], "a URL like redis://[:password@]host[:port][/db]");
        }

        return text;
    }

    private IPAddress? ParseIpAddress(string name)
    {
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        var trimmed = text.Trim();
        if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
        {
            trimmed = trimmed[1..^1];
        }

        // IPAddress.TryParse also takes shorthands such as "1" or "127.1"; only the usual spellings are meant.
        if (!IPAddress.TryParse(trimmed, out var address)
            || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && trimmed.Split('.').Length != 4)
            || (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !trimmed.Contains(':', StringComparison.Ordinal)))
        {
            throw Invalid(_values[name], "an IP address such as 127.0.0.1 (this machine only), ::1, 0.0.0.0 or :: (all interfaces)");
        }

        return address;
    }

    private long? ParseInteger(string name)
    {
        var value = _values[name];
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)
            || number < value.Definition.Minimum || number > value.Definition.Maximum)
        {
            throw Invalid(value, RangeText(value.Definition, "a whole number"));
        }

        return number;
    }

    private TimeSpan? ParseDuration(string name)
    {
        var value = _values[name];
        var text = Text(name);
        if (text is null)
        {
            return null;
        }

        if (!TryParseDuration(text, out var duration) || (value.Definition.Minimum > 0 && duration <= TimeSpan.Zero))
        {
            throw Invalid(value, value.Definition.Minimum > 0 ? "a positive duration in seconds (e.g. 600, 1.5, 500ms, 10m)" : "a duration in seconds (e.g. 30, 500ms, 1m)");
        }

        return duration;
    }

    private static string RangeText(SettingDefinition definition, string what)
    {
        if (definition.Minimum != long.MinValue && definition.Maximum != long.MaxValue)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{what} from {definition.Minimum} to {definition.Maximum}");
        }

        return definition.Minimum != long.MinValue
            ? string.Create(CultureInfo.InvariantCulture, $"{what} of at least {definition.Minimum}")
            : what;
    }

    private static SettingsException Invalid(SettingValue value, string expected)
    {
        var shown = value.Definition.IsSecret && value.Definition.Kind != SettingKind.Url ? SecretMasker.Mask : Display(value);
        return new SettingsException($"{value.Definition.Name} must be {expected}, got '{shown}' ({value.Source})");
    }
}
