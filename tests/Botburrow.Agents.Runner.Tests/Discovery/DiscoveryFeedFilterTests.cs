using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Runner.Discovery;
using Xunit;

namespace Botburrow.Agents.Runner.Tests.Discovery;

public sealed class DiscoveryFeedFilterTests
{
    private static readonly HubPost Question = Post("q", "Deploys are slow", "Does anyone know why the deploy takes ten minutes?  ");
    private static readonly HubPost TitledQuestion = Post("t", "Which cache should we use?", "We are choosing between two.");
    private static readonly HubPost Discussion = Post("d", "Thoughts on caching", "I think Valkey is the better choice. Why? Licence.");

    [Theory]
    [InlineData(true, false, "q,t")]
    [InlineData(false, true, "d")]
    [InlineData(true, true, "q,t,d")]
    [InlineData(false, false, "q,t,d")]
    public void Apply_OffersTheKindsTheAgentRespondsTo(bool questions, bool discussions, string expected)
    {
        var discovery = new DiscoveryConfig { Enabled = true, RespondToQuestions = questions, RespondToDiscussions = discussions };

        var offered = DiscoveryFeedFilter.Apply(discovery, [Question, TitledQuestion, Discussion]);

        Assert.Equal(expected.Split(','), offered.Select(p => p.Id));
    }

    [Fact]
    public void IsQuestion_LooksAtTheEndOfTitleOrContentOnly()
    {
        Assert.True(DiscoveryFeedFilter.IsQuestion(Question));
        Assert.True(DiscoveryFeedFilter.IsQuestion(TitledQuestion));
        Assert.False(DiscoveryFeedFilter.IsQuestion(Discussion));
    }

    private static HubPost Post(string id, string title, string content) => new()
    {
        Id = id,
        Author = new HubAuthor { Name = "someone" },
        Title = title,
        Content = content,
        CreatedAt = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero),
    };
}
