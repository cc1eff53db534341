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
    [InlineData("agents:\n  a:\n    allowed: [hub:read]\n", "p.yaml:3:5: agents.a.allowed: unknown key; allowed: allowed_grants, denied_grants, provider_keys")]
    [InlineData("agents:\n  a:\n    provider_keys: [MY_KEY, GITHUB_PAT]\n", "p.yaml:3:29: agents.a.provider_keys[1]: 'GITHUB_PAT' is a fleet secret (GITHUB_PAT: ")]
    [InlineData("default:\n  provider_keys: [DATABASE_URL]\n", "p.yaml:2:19: default.provider_keys[0]: 'DATABASE_URL' is a fleet secret (DATABASE_URL: ")]
    [InlineData("default:\n  provider_keys: MY_KEY\n", "p.yaml:2:18: default.provider_keys: expected a list of environment variable names")]
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
    public void Provider_keys_are_read_per_agent_and_default()
    {
        var policy = PermissionsPolicyLoader.Parse("agents:\n  a:\n    provider_keys: [MY_PROVIDER_KEY]\ndefault:\n  allowed_grants: [hub:read]\n"u8, "p.yaml");

        Assert.Equal(["MY_PROVIDER_KEY"], policy.RuleFor("a").Rule.ProviderKeys);
        Assert.Empty(policy.RuleFor("b").Rule.ProviderKeys);
        Assert.Equal(["hub:read"], policy.RuleFor("b").Rule.Allowed.Select(g => g.ToString()));
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
