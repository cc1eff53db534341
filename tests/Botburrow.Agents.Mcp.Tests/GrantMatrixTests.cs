using Xunit;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Grants;

namespace Botburrow.Agents.Mcp.Tests;

public sealed class GrantMatrixTests
{
    private const string Policy = """
        agents:
          coder:
            allowed_grants: [github:*, hub:*, brave:search]
            denied_grants: [aws:*, postgres:write]
          researcher:
            allowed_grants: [github:read, "hub:*", brave:search, postgres:*]
            denied_grants: [github:write, postgres:write]
          scoped:
            allowed_grants: [postgres:read:analytics, github:read]
          deny-only:
            denied_grants: [github:write]
          nothing:
            allowed_grants: []
        default:
          allowed_grants: [hub:read, hub:write]
          denied_grants: [aws:*, postgres:*]
        """;

    private static readonly PermissionsPolicy Parsed = PermissionsPolicyLoader.Parse(System.Text.Encoding.UTF8.GetBytes(Policy), "permissions.yaml");

    [Theory]
    // pattern, grant, covers?
    [InlineData("github:read", "github:read", true)]
    [InlineData("github:read", "github:write", false)]
    [InlineData("github:write", "github:read", false)]
    [InlineData("github:*", "github:write", true)]
    [InlineData("*:read", "hub:read", true)]
    [InlineData("*:read", "hub:write", false)]
    [InlineData("*:*", "postgres:write:db1", true)]
    [InlineData("github:read", "github:read:repo-a", true)]
    [InlineData("github:read:repo-a", "github:read", false)]
    [InlineData("github:read:repo-a", "github:read:repo-b", false)]
    [InlineData("github:read:*", "github:read:repo-b", true)]
    [InlineData("github:reader", "github:read", false)]
    [InlineData("git:read", "github:read", false)]
    [InlineData("hub:*", "hubs:read", false)]
    public void A_pattern_covers_exactly_what_it_names(string pattern, string grant, bool covers)
        => Assert.Equal(covers, Grant.Parse(pattern).Covers(Grant.Parse(grant)));

    [Theory]
    // agent, declared grants, required grant, held?
    [InlineData("coder", "github:read,github:write", "github:write", true)]
    [InlineData("coder", "github:read", "github:write", false)] // read never unlocks write
    [InlineData("coder", "aws:s3", "aws:s3", false)] // denied even though declared
    [InlineData("coder", "postgres:*", "postgres:read", false)] // not allowed at all
    [InlineData("researcher", "github:*", "github:read", true)] // narrowed to the allowed read
    [InlineData("researcher", "github:*", "github:write", false)] // denied overrides the declared wildcard
    [InlineData("researcher", "github:write", "github:write", false)] // denied overrides
    [InlineData("researcher", "postgres:*", "postgres:read", true)] // denied carves out write only
    [InlineData("researcher", "postgres:*", "postgres:write", false)]
    [InlineData("researcher", "hub:*", "hub:write", true)]
    [InlineData("scoped", "postgres:read", "postgres:read:analytics", true)] // narrowed to the allowed resource
    [InlineData("scoped", "postgres:read", "postgres:read:billing", false)]
    [InlineData("scoped", "postgres:read", "postgres:read", false)] // the resource-scoped grant is not the whole action
    [InlineData("deny-only", "github:*", "github:read", true)] // no allowed_grants: everything but the denied
    [InlineData("deny-only", "github:*", "github:write", false)]
    [InlineData("nothing", "hub:read", "hub:read", false)] // an empty allowed list allows nothing
    [InlineData("unlisted", "hub:read,hub:write", "hub:write", true)] // the default policy
    [InlineData("unlisted", "hub:*", "hub:read", true)] // default narrows hub:* to read and write
    [InlineData("unlisted", "postgres:read", "postgres:read", false)] // denied by default
    [InlineData("unlisted", "github:read", "github:read", false)] // not in the default's allowed list
    [InlineData("unlisted", "", "hub:read", false)] // declares nothing
    [InlineData("coder", "github:Read,hub:read", "hub:read", true)] // a malformed grant is dropped, the rest hold
    [InlineData("coder", "github:Read", "github:read", false)]
    public void Effective_grants_are_declared_and_allowed_and_not_denied(string agent, string declared, string required, bool held)
    {
        var grants = EffectiveGrants.Evaluate(agent, declared.Split(',', StringSplitOptions.RemoveEmptyEntries), Parsed);
        Assert.Equal(held, grants.Holds(required));
    }

    [Theory]
    [InlineData("github:read", true)]
    [InlineData("github:read:repo-a", true)]
    [InlineData("hub:*", true)]
    [InlineData("*:*", true)]
    [InlineData("github", false)]
    [InlineData("github:", false)]
    [InlineData(":read", false)]
    [InlineData("GitHub:read", false)]
    [InlineData("github:read:a:b", false)]
    [InlineData("github:re ad", false)]
    [InlineData("github:re*", false)]
    [InlineData("", false)]
    public void Malformed_grants_are_rejected_with_the_syntax(string text, bool valid)
    {
        Assert.Equal(valid, Grant.TryParse(text, out _, out var error));
        if (!valid)
        {
            Assert.Contains("service:action[:resource]", error, StringComparison.Ordinal);
            Assert.Throws<FormatException>(() => Grant.Parse(text));
        }
    }

    [Fact]
    public void Without_a_policy_declared_grants_apply_unchanged()
    {
        var grants = EffectiveGrants.Evaluate("anyone", ["github:read", "hub:*"], PermissionsPolicy.None);
        Assert.True(grants.Holds("github:read"));
        Assert.True(grants.Holds("hub:write"));
        Assert.False(grants.Holds("github:write"));
        Assert.Contains("AGENT_PERMISSIONS_PATH", grants.Origin, StringComparison.Ordinal);
    }

    [Fact]
    public void A_policy_without_default_gives_unlisted_agents_nothing()
    {
        var policy = PermissionsPolicyLoader.Parse("agents:\n  a:\n    allowed_grants: [hub:*]\n"u8, "p.yaml");
        var grants = EffectiveGrants.Evaluate("b", ["hub:read"], policy);
        Assert.False(grants.Holds("hub:read"));
        Assert.Contains("nor has a default", grants.Origin, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_decision_says_why()
    {
        var grants = EffectiveGrants.Evaluate("researcher", ["github:*", "github:write", "aws:s3", "postgres:*"], Parsed);
        var reasons = grants.Decisions.ToDictionary(d => d.Declared, d => d.Reason);
        Assert.Equal("in, narrowed to github:read: the allowed patterns cover only that part of it", reasons["github:*"]);
        Assert.Equal("out: denied by 'github:write'", reasons["github:write"]);
        Assert.StartsWith("out: no allowed pattern covers it (allowed: github:read, hub:*, brave:search, postgres:*)", reasons["aws:s3"], StringComparison.Ordinal);
        Assert.Equal("in: allowed by 'postgres:*', except postgres:write (denied)", reasons["postgres:*"]);
        Assert.Equal(["github:read", "postgres:*"], grants.Granted.Select(g => g.ToString()));
    }

    [Fact]
    public void Intersection_narrows_wildcards_and_resources()
    {
        Assert.Equal("hub:read", Grant.Parse("hub:*").Intersect(Grant.Parse("hub:read"))?.ToString());
        Assert.Equal("github:read:repo", Grant.Parse("github:read").Intersect(Grant.Parse("*:*:repo"))?.ToString());
        Assert.Null(Grant.Parse("github:read").Intersect(Grant.Parse("github:write")));
        Assert.Null(Grant.Parse("a:b:x").Intersect(Grant.Parse("a:b:y")));
    }
}
