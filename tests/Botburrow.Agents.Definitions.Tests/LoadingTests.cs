using Botburrow.Agents.Definitions.Loading;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Sources;
using Botburrow.Agents.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Botburrow.Agents.Definitions.Tests;

/// <summary>The shared fixtures and our examples load; defaults, extensions and skills behave as documented.</summary>
public sealed class LoadingTests
{
    private static DirectoryAgentDefinitionSource Source(string root) => new(root, NullLogger<DirectoryAgentDefinitionSource>.Instance);

    [Fact]
    public async Task EveryFixtureAgentAndSkill_Loads()
    {
        // Reads ../shared/fixtures/agent-definitions (skipped when absent, failed under CI=true).
        var root = RepositoryPaths.SharedAgentDefinitions;
        var catalog = await Source(root).ListAsync(TestContext.Current.CancellationToken);

        Assert.Empty(catalog.Problems);
        List<string> expected = Directory.GetDirectories(Path.Combine(root, "agents")).Select(d => Path.GetFileName(d)!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, catalog.Agents.Select(a => a.Name).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(6, catalog.Agents.Count);
        Assert.Equal(["budget-check", "hub-post", "hub-search"], catalog.Skills.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.All(catalog.Agents, a => Assert.False(string.IsNullOrWhiteSpace(a.SystemPrompt)));
    }

    [Fact]
    public async Task FixtureValues_AndDefaults_AreMapped()
    {
        var source = Source(RepositoryPaths.SharedAgentDefinitions);
        var ct = TestContext.Current.CancellationToken;

        var sprint = await source.GetAsync("sprint-coder", ct);
        Assert.Equal(AgentType.Native, sprint.Type);
        Assert.Equal(LlmProvider.OpenAI, sprint.Brain.Provider);
        Assert.Equal(new Uri("https://api.openai.com/v1"), sprint.Brain.ApiBase);
        Assert.Equal("OPENAI_API_KEY", sprint.Brain.ApiKeyEnv);
        Assert.Equal(20, sprint.Behavior.MaxIterations);
        Assert.False(sprint.Capabilities.Spawning.CanPropose); // section absent: default
        Assert.Equal(["git", "npm", "python", "node"], sprint.Capabilities.Shell.AllowedCommands);
        Assert.Equal("filesystem", Assert.Single(sprint.Capabilities.McpServers).Name);
        Assert.True(sprint.Capabilities.McpServers[0].IsBuiltIn);
        Assert.StartsWith("# Sprint Coder System Prompt", sprint.SystemPrompt, StringComparison.Ordinal);

        var research = await source.GetAsync("research-agent", ct);
        Assert.Equal(AgentType.ClaudeCode, research.Type);
        Assert.Equal("hourly", research.Behavior.Discovery.Frequency);
        Assert.Equal(0.6, research.Behavior.Discovery.MinConfidence);
        Assert.Equal("keyword", research.Memory.Retrieval.Strategy);
        Assert.Equal(120, research.Capabilities.Shell.TimeoutSeconds); // default
        Assert.Empty(research.Interests.FollowAgents);
        Assert.True(research.Network.Enabled); // legacy default

        var pirate = await source.GetAsync("pirate-captain-agent", ct);
        Assert.False(pirate.Behavior.RespondToDms);
        Assert.Equal(TimeSpan.FromSeconds(60), pirate.CacheTtl);
        Assert.Equal("embedding_search", pirate.Memory.Retrieval.Strategy); // default
        Assert.Equal(100, pirate.Memory.MaxSizeMb); // default
    }

    [Fact]
    public async Task Examples_LoadAndCoverTheFourKinds()
    {
        var catalog = await Source(RepositoryPaths.ExampleAgentDefinitions).ListAsync(TestContext.Current.CancellationToken);

        Assert.Empty(catalog.Problems);
        Assert.Equal(4, catalog.Agents.Count);
        Assert.Contains(catalog.Agents, a => a.Type == AgentType.Native && a.Brain.Provider == LlmProvider.Anthropic);
        Assert.Contains(catalog.Agents, a => a.Type == AgentType.Native && a.Brain.Provider == LlmProvider.Local && a.Brain.ApiBase is not null);
        Assert.Contains(catalog.Agents, a => a.Type == AgentType.ClaudeCode);
        Assert.Contains(catalog.Agents, a => a.Behavior.Discovery.Enabled && a.Interests.Topics.Count > 0 && a.Interests.Keywords.Count > 0);
        Assert.All(catalog.Agents, a => Assert.NotEmpty(a.SystemPrompt));
        Assert.Single(catalog.Skills);
    }

    [Fact]
    public async Task MissingSystemPrompt_IsFine_AndDefaultsApply()
    {
        using var definitions = new TempDefinitions();
        definitions.WriteAgent("minimal", "name: minimal\ntype: claude-code\nbrain:\n  model: claude-sonnet-4-20250514\ncapabilities: {}\n");

        var agent = await Source(definitions.Root).GetAsync("minimal", TestContext.Current.CancellationToken);

        Assert.Equal("", agent.SystemPrompt);
        Assert.Equal(LlmProvider.Anthropic, agent.Brain.Provider);
        Assert.Equal(0.7, agent.Brain.Temperature);
        Assert.Equal(4096, agent.Brain.MaxTokens);
        Assert.Null(agent.Behavior.MaxIterations); // the runner's MAX_ITERATIONS applies
        Assert.True(agent.Behavior.RespondToMentions);
        Assert.True(agent.Behavior.CanCreatePosts);
        Assert.False(agent.Behavior.Discovery.Enabled);
        Assert.Equal(5, agent.Behavior.Limits.MaxDailyPosts);
        Assert.Equal(50, agent.Behavior.Limits.MaxDailyComments);
        Assert.Equal(3, agent.Behavior.Limits.MaxResponsesPerThread);
        Assert.Equal(60, agent.Behavior.Limits.MinIntervalSeconds);
        Assert.Equal(300, agent.CacheTtlSeconds);
        Assert.False(agent.Memory.Enabled);
        Assert.Empty(agent.Capabilities.Grants);
    }

    [Fact]
    public async Task Extensions_OpenCodeTypeAndUrlMcpServers_AreAccepted()
    {
        using var definitions = new TempDefinitions();
        definitions.WriteAgent("ext-agent", """
            name: ext-agent
            type: opencode
            brain:
              provider: local
              model: qwen2.5-coder
              api_base: http://127.0.0.1:11434/v1
            capabilities:
              mcp_servers:
                - name: docs
                  url: http://127.0.0.1:8123/mcp
                  headers:
                    Authorization: Bearer abc
                - name: tools
                  command: ./tools-server
                  args: [--stdio]
                  env:
                    TOOLS_MODE: strict
            network:
              enabled: false
              allowed_hosts: [example.org]
            """);

        var agent = await Source(definitions.Root).GetAsync("ext-agent", TestContext.Current.CancellationToken);

        Assert.Equal(AgentType.OpenCode, agent.Type);
        Assert.Equal(new Uri("http://127.0.0.1:8123/mcp"), agent.Capabilities.McpServers[0].Url);
        Assert.Equal("Bearer abc", agent.Capabilities.McpServers[0].Headers["Authorization"]);
        Assert.Equal("./tools-server", agent.Capabilities.McpServers[1].Command);
        Assert.Equal(["--stdio"], agent.Capabilities.McpServers[1].Args);
        Assert.Equal("strict", agent.Capabilities.McpServers[1].Env["TOOLS_MODE"]);
        Assert.False(agent.Network.Enabled);
    }

    [Fact]
    public async Task AbsentAgent_GivesTheGuidesMessage()
    {
        using var definitions = new TempDefinitions();

        var ex = await Assert.ThrowsAsync<AgentConfigNotFoundException>(() => Source(definitions.Root).GetAsync("my-agent", TestContext.Current.CancellationToken));

        Assert.Equal($"Agent config not found: {Path.Combine(definitions.Root, "agents", "my-agent", "config.yaml")}", ex.Message);
    }

    [Fact]
    public async Task PathTraversalName_IsRefused()
    {
        using var definitions = new TempDefinitions();

        var ex = await Assert.ThrowsAsync<AgentDefinitionSourceException>(() => Source(definitions.Root).GetAsync("../../etc", TestContext.Current.CancellationToken));

        Assert.Equal("'../../etc' is not a valid agent name (lowercase letters, digits and hyphens)", ex.Message);
    }

    [Fact]
    public void Skill_FrontMatterAndBody_AreParsed_WithFileLineNumbers()
    {
        var valid = AgentDefinitionParser.ParseSkill(
            "---\nname: my-skill\ndescription: Does things\nmcp:\n  server:\n    command: npx\n    args: [-y, thing]\n---\n\n# Body\n"u8,
            "skills/my-skill/SKILL.md",
            "my-skill");
        Assert.True(valid.IsValid);
        Assert.Equal("# Body\n", valid.Value!.Body);
        Assert.Equal("npx", valid.Value.McpServer!.Command);

        var invalid = AgentDefinitionParser.ParseSkill("---\nname: my-skill\nrequires_grants: [github]\n---\nbody\n"u8, "skills/my-skill/SKILL.md", "my-skill");
        Assert.Equal(
            [
                "skills/my-skill/SKILL.md:2:1: description: required key is missing",
                "skills/my-skill/SKILL.md:3:19: requires_grants[0]: 'github' is not a valid grant: it has 1 segment; expected service:action[:resource], each segment lowercase letters, digits and hyphens or *, e.g. github:read, hub:*",
            ],
            invalid.Problems.Select(p => p.Format()));

        var noFrontMatter = AgentDefinitionParser.ParseSkill("# Just markdown\n"u8, "skills/x/SKILL.md");
        Assert.Equal("skills/x/SKILL.md:1:1: the file must start with front matter: a '---' line, name and description, then another '---' line", Assert.Single(noFrontMatter.Problems).Format());
    }

    [Fact]
    public async Task ListAsync_ReportsFoldersWithoutConfig()
    {
        using var definitions = new TempDefinitions();
        Directory.CreateDirectory(Path.Combine(definitions.Root, "agents", "half-done"));

        var catalog = await Source(definitions.Root).ListAsync(TestContext.Current.CancellationToken);

        Assert.Equal("agents/half-done/config.yaml:1: missing: every folder under agents/ needs a config.yaml", Assert.Single(catalog.Problems).Format(definitions.Root));
    }

    [Fact]
    public async Task ListAsync_RefusesSkillsThatDoNotExist_WhenThereIsASkillsFolder()
    {
        using var definitions = new TempDefinitions();
        definitions.WriteSkill("hub-post", "---\nname: hub-post\ndescription: Post to the Hub\n---\nbody\n");
        definitions.WriteAgent("skilled", "name: skilled\ntype: native\nbrain: {model: m}\ncapabilities:\n  skills:\n    - hub-post\n    - web-search\n");

        var catalog = await Source(definitions.Root).ListAsync(TestContext.Current.CancellationToken);

        Assert.Equal(
            "agents/skilled/config.yaml:7:7: capabilities.skills[1]: 'web-search' is not a skill in skills/ (no skills/web-search/SKILL.md); available: hub-post",
            Assert.Single(catalog.Problems).Format(definitions.Root));
        Assert.Single(catalog.Skills);
    }
}
