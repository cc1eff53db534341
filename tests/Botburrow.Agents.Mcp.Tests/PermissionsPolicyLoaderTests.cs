using Xunit;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Testing;

namespace Botburrow.Agents.Mcp.Tests;

public sealed class PermissionsPolicyLoaderTests
{
    [Fact]
    public void The_example_policy_loads()
    {
        var policy = PermissionsPolicyLoader.Load(Path.Combine(RepositoryPaths.RepositoryRoot, "examples", "permissions.yaml"));
        Assert.Equal(["code-reviewer", "hub-helper", "trend-scout"], policy.Agents.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["github:write"], policy.Agents["code-reviewer"].Denied.Select(g => g.ToString()));
        Assert.Equal(["hub:read", "hub:write"], policy.Default!.Allowed.Select(g => g.ToString()));
    }

    [Theory]
    [InlineData("agents:\n  a:\n    allowed_grants: [hub:read, github:READ]\n", "p.yaml:3:32: agents.a.allowed_grants[1]: 'github:READ' is not a valid grant")]
    [InlineData("agents:\n  a:\n    allowed: [hub:read]\n", "p.yaml:3:5: agents.a.allowed: unknown key; allowed: allowed_grants, denied_grants")]
    [InlineData("default:\n  denied_grants: hub:write\n", "p.yaml:2:18: default.denied_grants: expected a list of grants")]
    [InlineData("agent:\n  a: {}\n", "p.yaml:1:1: agent: unknown key; allowed: agents, default")]
    [InlineData("agents: [a, b]\n", "p.yaml:1:9: agents: expected a mapping of agent name to rule")]
    [InlineData("agents:\n  a:\n    allowed_grants: [hub:read\n", "p.yaml:")]
    [InlineData("", "p.yaml:1: expected a mapping with 'agents' and/or 'default', got an empty file")]
    public void A_malformed_policy_names_file_and_line(string text, string expected)
    {
        var ex = Assert.Throws<PermissionsPolicyException>(() => PermissionsPolicyLoader.Parse(System.Text.Encoding.UTF8.GetBytes(text), "p.yaml"));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var ex = Assert.Throws<PermissionsPolicyException>(() => new PermissionsPolicySource("/nonexistent/permissions.yaml").Current());
        Assert.Equal("Permissions policy not found: /nonexistent/permissions.yaml (AGENT_PERMISSIONS_PATH)", ex.Message);
    }

    [Fact]
    public void A_changed_file_is_read_again()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("botburrow-policy-").FullName, "permissions.yaml");
        File.WriteAllText(file, "default:\n  allowed_grants: [hub:read]\n");
        var source = new PermissionsPolicySource(file);
        Assert.False(source.Evaluate("x", ["hub:write"]).Holds("hub:write"));
        File.WriteAllText(file, "default:\n  allowed_grants: [hub:read, hub:write]\n");
        File.SetLastWriteTimeUtc(file, File.GetLastWriteTimeUtc(file).AddSeconds(5));
        Assert.True(source.Evaluate("x", ["hub:write"]).Holds("hub:write"));
    }
}
