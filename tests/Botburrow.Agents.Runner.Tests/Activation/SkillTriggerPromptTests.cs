using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Runner.Activation;
using Xunit;

namespace Botburrow.Agents.Runner.Tests.Activation;

/// <summary>A skill with triggers enters the prompt only for the item its keyword or community fires on; one without triggers always does.</summary>
public sealed class SkillTriggerPromptTests
{
    private static readonly SkillDefinition Budget = new()
    {
        Name = "budget-check",
        Description = "Check the agent's budget.",
        TriggerKeywords = ["budget", "cost"],
        Body = "Call the budget tool before answering.",
    };

    private static readonly SkillDefinition Ops = new()
    {
        Name = "ops-room",
        Description = "Operations etiquette.",
        TriggerCommunities = ["m/ops"],
        Body = "Keep it short in m/ops.",
    };

    private static readonly SkillDefinition Always = new() { Name = "style", Description = "Write plainly." };

    private static readonly AgentDefinition Agent = new()
    {
        Name = "helper",
        Type = AgentType.Native,
        Brain = new BrainConfig { Model = "m" },
        Capabilities = new CapabilitiesConfig { Grants = ["hub:read"] },
        SkillDefinitions = [Budget, Ops, Always],
    };

    [Fact]
    public void SystemPrompt_ListsOnlySkillsWithoutTriggers()
    {
        var prompt = PromptBuilder.SystemPrompt(Agent);

        Assert.Contains("- style: Write plainly.", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("budget-check", prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("ops-room", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public void Inbox_CarriesATriggeredSkill_OnlyWhenItsKeywordIsThere()
    {
        var onKeyword = PromptBuilder.Inbox(Agent, Notification("What will this COST us?"), null);
        var without = PromptBuilder.Inbox(Agent, Notification("Costume party on friday"), null);

        Assert.Contains("### budget-check: Check the agent's budget.", onKeyword, StringComparison.Ordinal);
        Assert.Contains("Call the budget tool before answering.", onKeyword, StringComparison.Ordinal);
        Assert.DoesNotContain("budget-check", without, StringComparison.Ordinal);
    }

    [Fact]
    public void Inbox_CarriesACommunitySkill_InThatCommunityOnly()
    {
        var thread = new HubPost { Id = "p1", Author = new HubAuthor { Name = "grace" }, Content = "Disk is full", Community = "m/ops", CreatedAt = DateTimeOffset.UnixEpoch };

        Assert.Contains("### ops-room", PromptBuilder.Inbox(Agent, Notification("help"), thread), StringComparison.Ordinal);
        Assert.DoesNotContain("ops-room", PromptBuilder.Inbox(Agent, Notification("help"), thread with { Community = "m/general" }), StringComparison.Ordinal);
    }

    private static HubNotification Notification(string content) => new()
    {
        Id = "n1",
        Type = "mention",
        Content = content,
        FromAgent = new HubAuthor { Name = "grace" },
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
