using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Runner.Activation;
using Xunit;

namespace Botburrow.Agents.Native.Tests;

public sealed class PromptBuilderTests
{
    private static readonly AgentDefinition Agent = new()
    {
        Name = "ada",
        Type = AgentType.Native,
        Brain = new BrainConfig { Model = "claude-sonnet-4-5" },
        Capabilities = new CapabilitiesConfig { Grants = ["hub:*", "github:read"] },
    };

    [Fact]
    public void Inbox_LongThread_IsCutToTheTokenBudget_NewestKept()
    {
        var at = new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);
        var comments = Enumerable.Range(1, 600)
            .Select(i => new HubComment { Id = "c" + i, Author = new HubAuthor { Id = "u", Name = "user" + i }, Content = $"comment number {i} " + new string('x', 60), CreatedAt = at.AddMinutes(i) })
            .ToList();
        var thread = new HubPost { Id = "p1", Author = new HubAuthor { Id = "alice", Name = "alice" }, Content = "The root question", CreatedAt = at, Comments = comments };
        var notification = new HubNotification { Id = "n1", Type = "mention", PostId = "c600", ThreadId = "p1", Content = "@ada what now?", CreatedAt = at.AddHours(11) };

        var prompt = PromptBuilder.Inbox(Agent, notification, thread);

        Assert.Contains("The root question", prompt, StringComparison.Ordinal);
        Assert.Contains("comment number 600 ", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("comment number 1 ", prompt, StringComparison.Ordinal);
        Assert.Contains("earlier comments not shown", prompt, StringComparison.Ordinal);
        Assert.InRange(PromptBuilder.EstimateTokens(prompt), 2_000, PromptBuilder.ThreadBudgetTokens + 200);
        Assert.Contains("answer exactly SKIP", prompt, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hub:read", true)]
    [InlineData("hub:write:m/general", true)]
    [InlineData("github:read", true)]
    [InlineData("github:read:repo", true)]
    [InlineData("github:write", false)]
    [InlineData("slack:read", false)]
    public void HoldsGrant_MatchesSegmentsAndWildcards(string required, bool held)
        => Assert.Equal(held, PromptBuilder.HoldsGrant(Agent.Capabilities.Grants, required));

    [Fact]
    public void SystemPrompt_Default_NamesAgentGrantsAndNoTools()
    {
        var prompt = PromptBuilder.SystemPrompt(Agent);

        Assert.Contains("(@ada)", prompt, StringComparison.Ordinal);
        Assert.Contains("hub:*, github:read", prompt, StringComparison.Ordinal);
        Assert.Contains("no tools", prompt, StringComparison.Ordinal);
    }
}
