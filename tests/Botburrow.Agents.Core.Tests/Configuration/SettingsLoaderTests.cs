using Botburrow.Agents.Configuration;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Botburrow.Agents.Core.Tests.Configuration;

public sealed class SettingsLoaderTests
{
    private static BotburrowSettings Load(params (string Key, string? Value)[] env)
        => SettingsLoader.Load(env.ToDictionary(e => e.Key, e => e.Value));

    [Fact]
    public void Defaults_AreTheDesignDefaults()
    {
        var settings = Load();

        Assert.Equal(RunnerMode.Hybrid, settings.RunnerMode);
        Assert.Equal(1, settings.MaxConcurrentActivations);
        Assert.Equal(TimeSpan.FromSeconds(600), settings.ActivationTimeout);
        Assert.Equal(10, settings.MaxIterations);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.PollInterval);
        Assert.Equal(TimeSpan.FromSeconds(900), settings.MinStaleness);
        Assert.Equal("/configs/agent-definitions", settings.AgentDefinitionsPath);
        Assert.Equal("main", settings.AgentDefinitionsBranch);
        Assert.Equal(LogLevel.Information, settings.LogLevel);
        Assert.Equal("json", settings.LogFormat);
        Assert.Equal(3, settings.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(15), settings.LeaseDuration);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.HeartbeatInterval);
        Assert.Null(settings.HubUrl);
        Assert.Null(settings.RedisUrl);
    }

    [Fact]
    public void PrefixedName_WorksLikeBareName()
    {
        Assert.Equal(new Uri("http://hub:8000"), Load(("BOTBURROW_HUB_URL", "http://hub:8000")).HubUrl);
        Assert.Equal(new Uri("http://hub:8000"), Load(("HUB_URL", "http://hub:8000")).HubUrl);
    }

    [Fact]
    public void PrefixedName_WinsOverBareName()
        => Assert.Equal(RunnerMode.Exploration, Load(("RUNNER_MODE", "notification"), ("BOTBURROW_RUNNER_MODE", "exploration")).RunnerMode);

    [Fact]
    public void Aliases_ValkeyUrlAndMinActivationInterval()
    {
        var settings = Load(("VALKEY_URL", "redis://valkey:6379"), ("MIN_ACTIVATION_INTERVAL", "120"));

        Assert.Equal("redis://valkey:6379", settings.RedisUrl);
        Assert.Equal(TimeSpan.FromSeconds(120), settings.MinStaleness);
    }

    [Fact]
    public void CanonicalName_WinsOverAlias()
        => Assert.Equal("redis://a:1", Load(("REDIS_URL", "redis://a:1"), ("VALKEY_URL", "redis://b:2")).RedisUrl);

    [Theory]
    [InlineData("DEBUG", LogLevel.Debug)]
    [InlineData("Debug", LogLevel.Debug)]
    [InlineData("INFO", LogLevel.Information)]
    [InlineData("WARN", LogLevel.Warning)]
    [InlineData("WARNING", LogLevel.Warning)]
    [InlineData("error", LogLevel.Error)]
    public void LogLevel_AcceptsCommonSpellings(string text, LogLevel expected)
        => Assert.Equal(expected, Load(("LOG_LEVEL", text)).LogLevel);

    [Theory]
    [InlineData("MAX_CONCURRENT_ACTIVATIONS", "0", "MAX_CONCURRENT_ACTIVATIONS must be a whole number from 1 to 256, got '0' (env MAX_CONCURRENT_ACTIVATIONS)")]
    [InlineData("ACTIVATION_TIMEOUT", "soon", "ACTIVATION_TIMEOUT must be a positive duration in seconds (e.g. 600, 1.5, 500ms, 10m), got 'soon' (env ACTIVATION_TIMEOUT)")]
    [InlineData("RUNNER_MODE", "turbo", "RUNNER_MODE must be one of notification, exploration, hybrid, got 'turbo' (env RUNNER_MODE)")]
    [InlineData("HUB_URL", "hub:8000", "HUB_URL must be an absolute http:// or https:// URL, got 'hub:8000' (env HUB_URL)")]
    [InlineData("REDIS_URL", "http://:pw@valkey:6379", "REDIS_URL must be a URL like redis://[:password@]host[:port][/db], got 'http://:****@valkey:6379' (env REDIS_URL)")]
    public void InvalidValue_StopsWithOneLineNamingIt(string name, string value, string expected)
    {
        var ex = Assert.Throws<SettingsException>(() => Load((name, value)));

        Assert.Equal(expected, ex.Message);
    }

    [Theory]
    [InlineData("600", 600)]
    [InlineData("600s", 600)]
    [InlineData("1.5", 1.5)]
    [InlineData("500ms", 0.5)]
    [InlineData("10m", 600)]
    [InlineData("1h", 3600)]
    public void Durations_AcceptUnits(string text, double seconds)
    {
        Assert.True(BotburrowSettings.TryParseDuration(text, out var duration));
        Assert.Equal(seconds, duration.TotalSeconds, 3);
    }

    [Fact]
    public void Require_NamesSettingAndVerb()
    {
        var ex = Assert.Throws<SettingsException>(() => Load().Require(SettingNames.HubUrl, "coordinator"));

        Assert.Equal("HUB_URL is required for 'botburrow coordinator'", ex.Message);
    }

    [Fact]
    public void File_IsUnderEnvironment_AndFlagsOverBoth()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["# settings", "HUB_URL=http://from-file:1", "RUNNER_MODE=exploration", "export MAX_ITERATIONS=\"7\""]);
            var env = new Dictionary<string, string?> { ["RUNNER_MODE"] = "notification" };
            var flags = new Dictionary<string, string?> { ["MAX_ITERATIONS"] = "9" };

            var settings = SettingsLoader.Load(env, flags, file);

            Assert.Equal(new Uri("http://from-file:1"), settings.HubUrl);
            Assert.Equal(RunnerMode.Notification, settings.RunnerMode);
            Assert.Equal(9, settings.MaxIterations);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void File_UnknownSetting_NamesFileAndLine()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(file, ["HUB_URL=http://x:1", "HUB_ULR=http://typo"]);

            var ex = Assert.Throws<SettingsException>(() => SettingsLoader.Load(new Dictionary<string, string?>(), null, file));

            Assert.Equal($"{file}:2: unknown setting 'HUB_ULR'", ex.Message);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void MetricsBindAddress_DefaultsToLoopback_AndTakesAnyIpAddress()
    {
        Assert.Equal(System.Net.IPAddress.Loopback, Load().MetricsBindAddress);
        Assert.Equal(System.Net.IPAddress.Any, Load(("METRICS_BIND_ADDRESS", "0.0.0.0")).MetricsBindAddress);
        Assert.Equal(System.Net.IPAddress.IPv6Any, Load(("BOTBURROW_METRICS_BIND_ADDRESS", "::")).MetricsBindAddress);
        Assert.Equal(System.Net.IPAddress.IPv6Loopback, Load(("METRICS_BIND_ADDRESS", "[::1]")).MetricsBindAddress);
        Assert.Equal(System.Net.IPAddress.Parse("10.1.2.3"), Load(("METRICS_BIND_ADDRESS", " 10.1.2.3 ")).MetricsBindAddress);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("0.0.0.0:9090")]
    [InlineData("127.1")]
    [InlineData("1")]
    [InlineData("10.0.0.0/8")]
    [InlineData("999.0.0.1")]
    public void MetricsBindAddress_NotAnIpAddress_IsOneLineNamingIt(string value)
    {
        var ex = Assert.Throws<SettingsException>(() => Load(("METRICS_BIND_ADDRESS", value)));

        Assert.Equal($"METRICS_BIND_ADDRESS must be an IP address such as 127.0.0.1 (this machine only), ::1, 0.0.0.0 or :: (all interfaces), got '{value}' (env METRICS_BIND_ADDRESS)", ex.Message);
    }

    [Fact]
    public void DashboardToken_IsASecret_ReadLikeEveryOtherSetting()
    {
        var settings = Load(("DASHBOARD_TOKEN", "read-only-token"));

        Assert.Equal("read-only-token", settings.DashboardToken);
        Assert.True(SettingsCatalog.Find("DASHBOARD_TOKEN")!.IsSecret);
        var shown = settings.Values.Single(v => v.Definition.Name == "DASHBOARD_TOKEN");
        Assert.Equal(SecretMasker.Mask, BotburrowSettings.Display(shown));
    }

    [Fact]
    public void Display_MasksUrlSecretsInEverySetting()
    {
        var settings = Load(
            ("HUB_URL", "https://bot:hub-pass@hub.example:8000"),
            ("AGENT_DEFINITIONS_REPO", "https://ghp_repotoken@github.com/org/defs.git"),
            ("OPENAI_BASE_URL", "https://llm.example/v1?key=base-key"),
            ("REDIS_URL", "redis://valkey:6379"));
        string Shown(string name) => BotburrowSettings.Display(settings.Values.Single(v => v.Definition.Name == name));

        Assert.Equal("https://bot:****@hub.example:8000", Shown("HUB_URL"));
        Assert.Equal("https://****@github.com/org/defs.git", Shown("AGENT_DEFINITIONS_REPO"));
        Assert.Equal("https://llm.example/v1?key=****", Shown("OPENAI_BASE_URL"));
        Assert.Equal(SecretMasker.Mask, Shown("REDIS_URL")); // a secret URL without userinfo stays wholly masked, as before
    }

    [Theory]
    [InlineData("redis://:hunter2@valkey:6379/0", "redis://:****@valkey:6379/0")]
    [InlineData("redis://user:hunter2@valkey:6379", "redis://user:****@valkey:6379")]
    [InlineData("redis://valkey:6379", "redis://valkey:6379")]
    public void MaskUrl_HidesPassword(string url, string expected) => Assert.Equal(expected, SecretMasker.MaskUrl(url));
}
