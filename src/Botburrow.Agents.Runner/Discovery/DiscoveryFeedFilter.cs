using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Hub;

namespace Botburrow.Agents.Runner.Discovery;

/// <summary>
/// Which discovery feed items an agent is offered, by <c>behavior.discovery.respond_to_questions</c> and
/// <c>respond_to_discussions</c>. A post is a <b>question</b> when its title or its content, trimmed, ends with
/// <c>?</c> (the Hub has no tags to mark one otherwise); every other post is a <b>discussion</b>. With both switches
/// on, or both off (nothing chosen: the behaviour before these switches existed), every item is offered; with one
/// on, only items of that kind.
/// </summary>
public static class DiscoveryFeedFilter
{
    public static bool IsQuestion(HubPost post)
    {
        ArgumentNullException.ThrowIfNull(post);
        return EndsWithQuestionMark(post.Title) || EndsWithQuestionMark(post.Content);
    }

    public static bool Offers(DiscoveryConfig discovery, HubPost post)
    {
        ArgumentNullException.ThrowIfNull(discovery);
        ArgumentNullException.ThrowIfNull(post);
        if (discovery.RespondToQuestions == discovery.RespondToDiscussions)
        {
            return true;
        }

        return IsQuestion(post) ? discovery.RespondToQuestions : discovery.RespondToDiscussions;
    }

    /// <summary>The items of <paramref name="feed"/> the agent is offered, in feed order.</summary>
    public static IReadOnlyList<HubPost> Apply(DiscoveryConfig discovery, IEnumerable<HubPost> feed)
    {
        ArgumentNullException.ThrowIfNull(feed);
        return [.. feed.Where(p => Offers(discovery, p))];
    }

    private static bool EndsWithQuestionMark(string? text) => text is not null && text.TrimEnd().EndsWith('?');
}
