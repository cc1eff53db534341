using Botburrow.Agents.Testing;
using Xunit;

namespace Botburrow.Cli.Tests.Exposure;

/// <summary>
/// Secrets inside URLs (userinfo and secret-looking query parameters) never reach output: <c>config show</c>,
/// <c>doctor</c> (table and JSON) and log lines, each run as the real CLI.
/// </summary>
public sealed class MaskedOutputTests : IDisposable
{
    private static readonly string[] Secrets = ["hub-password", "hub-query-key", "ghp_repotoken", "base-query-key", "anthropic-sig"];

    private readonly string _cache = Directory.CreateTempSubdirectory("botburrow-masked-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_cache, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task ConfigShow_MasksTokensAndPasswordsInsideEveryUrl()
    {
        var result = await CliProcess.RunAsync(["config", "show"], Environment(), cancellationToken: Ct);

        Assert.Equal(0, result.ExitCode);
        AssertNoSecret(result);
        Assert.Contains("https://bot:****@127.0.0.1:1/?key=****", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("https://****@127.0.0.1:1/org/defs.git", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("https://llm.example/v1?api_key=****&model=x", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("https://anthropic.example/?sig=****", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Doctor_ShowsTheHubUrlAndRepositoryMasked(bool json)
    {
        var result = await CliProcess.RunAsync(json ? ["doctor", "--json"] : ["doctor"], Environment(), cancellationToken: Ct);

        Assert.Equal(1, result.ExitCode); // nothing is reachable: the checks fail, and say where they looked
        AssertNoSecret(result);
        Assert.Contains("https://bot:****@127.0.0.1:1/?key=****", result.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("hub.reachable", result.StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("json")]
    [InlineData("console")]
    public async Task LogLines_ShowTheHubUrlMasked(string format)
    {
        var environment = Environment();
        environment["LOG_FORMAT"] = format;
        var result = await CliProcess.RunAsync(["mcp", "hub", "--agent", "alpha"], environment, cancellationToken: Ct);

        Assert.Contains("mcp_hub_serving", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("https://bot:****@127.0.0.1:1/?key=****", result.StandardError, StringComparison.Ordinal);
        AssertNoSecret(result);
    }

    [Fact]
    public async Task DefinitionsRepositoryErrors_ShowTheRepositoryMasked()
    {
        var result = await CliProcess.RunAsync(["agents", "list"], Environment(), cancellationToken: Ct);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("https://****@127.0.0.1:1/org/defs.git", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        AssertNoSecret(result);
    }

    private static void AssertNoSecret(CliResult result)
    {
        foreach (var secret in Secrets)
        {
            Assert.DoesNotContain(secret, result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        }
    }

    private Dictionary<string, string?> Environment() => new()
    {
        ["HUB_URL"] = "https://bot:hub-password@127.0.0.1:1/?key=hub-query-key",
        ["HUB_API_KEY"] = "masked-test-key",
        ["AGENT_DEFINITIONS_REPO"] = "https://ghp_repotoken@127.0.0.1:1/org/defs.git",
        ["AGENT_DEFINITIONS_CACHE_DIR"] = _cache,
        ["OPENAI_BASE_URL"] = "https://llm.example/v1?api_key=base-query-key&model=x",
        ["ANTHROPIC_BASE_URL"] = "https://anthropic.example/?sig=anthropic-sig",
        ["LOG_LEVEL"] = "Debug",
    };
}
