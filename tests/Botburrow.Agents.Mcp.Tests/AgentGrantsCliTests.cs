using Botburrow.Agents.Testing;
using Xunit;

namespace Botburrow.Agents.Mcp.Tests;

/// <summary><c>botburrow agents grants NAME</c> as a child process, over the example definitions and policy.</summary>
public sealed class AgentGrantsCliTests
{
    private static readonly string Policy = Path.Combine(RepositoryPaths.RepositoryRoot, "examples", "permissions.yaml");

    [Fact]
    public async Task It_explains_declared_allowed_denied_and_effective_grants()
    {
        var result = await RunAsync(["agents", "grants", "code-reviewer"], Policy);
        Assert.True(result.ExitCode == 0, result.StandardError);
        var lines = result.StandardOutput.ReplaceLineEndings("\n").Split('\n');
        Assert.Contains("Declared:  hub:read, hub:write, github:read", lines);
        Assert.Contains("Allowed:   hub:*, github:read", lines);
        Assert.Contains("Denied:    github:write", lines);
        Assert.Contains("Effective: hub:read, hub:write, github:read", lines);
        Assert.Contains(lines, l => l.Contains("hub:write", StringComparison.Ordinal) && l.Contains("in: allowed by 'hub:*'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  github  starts", StringComparison.Ordinal) && l.Contains("GITHUB_PERSONAL_ACCESS_TOKEN <- GITHUB_PAT", StringComparison.Ordinal)
            && l.Contains("write tools hidden (github:write is denied by 'github:write'", StringComparison.Ordinal));

        // code-reviewer is a claude-code agent: the Hub through the runner's endpoint, and its tool's own tools by grant.
        Assert.Contains("  hub (runner endpoint)  hub_search, hub_get_thread, hub_get_notifications, hub_post", lines);
        Assert.DoesNotContain(lines, l => l.StartsWith("  hub (MCP)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  claude-code (own tools)  no file reading (filesystem:read is not held", StringComparison.Ordinal)
            && l.EndsWith("; shell: git, rg; never web fetch or search", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unlisted_agent_gets_the_default()
    {
        var result = await RunAsync(["agents", "grants", "local-llama"], Policy);
        Assert.True(result.ExitCode == 0, result.StandardError);
        Assert.Contains("Policy:    default in ", result.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_policy_exits_2_naming_file_and_line()
    {
        var bad = Path.Combine(Directory.CreateTempSubdirectory("botburrow-bad-policy-").FullName, "permissions.yaml");
        File.WriteAllText(bad, "default:\n  allowed_grants: [hub:read]\n  denied: []\n");
        var result = await RunAsync(["agents", "grants", "code-reviewer"], bad);
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"{bad}:3:3: default.denied: unknown key; allowed: allowed_grants, denied_grants", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_agent_is_named()
    {
        var result = await RunAsync(["agents", "grants", "nobody-here"], null);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Agent config not found", result.StandardError, StringComparison.Ordinal);
    }

    private static Task<CliResult> RunAsync(string[] args, string? policy)
        => CliProcess.RunAsync(
            args,
            new Dictionary<string, string?>
            {
                ["AGENT_DEFINITIONS_PATH"] = RepositoryPaths.ExampleAgentDefinitions,
                ["AGENT_PERMISSIONS_PATH"] = policy,
            },
            cancellationToken: TestContext.Current.CancellationToken);
}
