using Botburrow.Agents.Testing;
using Xunit;

namespace Botburrow.Cli.Tests;

public sealed class SettingsCliTests
{
    [Fact]
    public async Task Coordinator_WithoutHubUrl_PrintsOneLineAndExits2()
    {
        var result = await CliProcess.RunAsync(["coordinator"], new Dictionary<string, string?> { ["REDIS_URL"] = "redis://127.0.0.1:1" }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("HUB_URL is required for 'botburrow coordinator'", result.StandardError.Trim());
    }

    [Fact]
    public async Task ConfigShow_MasksRedisPasswordAndAcceptsAliases()
    {
        var result = await CliProcess.RunAsync(
            ["config", "show"],
            new Dictionary<string, string?>
            {
                ["BOTBURROW_HUB_URL"] = "http://hub.example:8000",
                ["VALKEY_URL"] = "redis://:hunter2@valkey:6379",
                ["HUB_API_KEY"] = "secret-key",
            },
            cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("http://hub.example:8000", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("redis://:****@valkey:6379", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key", result.StandardOutput, StringComparison.Ordinal);
    }
}
