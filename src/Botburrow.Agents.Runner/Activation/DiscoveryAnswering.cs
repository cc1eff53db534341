using System.Globalization;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Runner.Activation;

/// <summary>
/// DISCOVERY: the agent's feed (its communities and keywords, posts it has not answered yet) → one question →
/// <c>SKIP</c>, <c>REPLY &lt;post id&gt;</c> or <c>POST &lt;community&gt;</c> with the text below it. The feed is not
/// fetched when the behaviour limits allow neither a comment nor a post; the comment or post first asks the
/// activation's lease. An answer whose <c>CONFIDENCE</c> line states less than
/// <c>behavior.discovery.min_confidence</c> publishes nothing (an answer that states none is not held back).
/// </summary>
internal sealed partial class DiscoveryAnswering(IHubClient hub, PublishGate gate, ILogger logger)
{
    private const string Subject = "discovery";

    /// <summary>At most this many posts of followed agents join the feed.</summary>
    private const int FollowedLimit = 10;

    public async Task RunAsync(ActivationRun run, CancellationToken cancellationToken)
    {
        var agent = run.Agent;
        var tally = run.Tally;
        if (gate.RefusePublishing(run, Subject))
        {
            return;
        }

        var commentLimit = await gate.CheckLimitAsync(run, AgentAction.Comment, null, 0, Subject, cancellationToken, report: false);
        var postLimit = await gate.CheckLimitAsync(run, AgentAction.Post, null, 0, Subject, cancellationToken, report: false);
        if (commentLimit is not null && postLimit is not null)
        {
            // Nothing could be published: do not spend tokens on the feed.
            gate.ReportLimit(run, Subject, commentLimit);
            tally.Skipped++;
            return;
        }

        var feed = await hub.DiscoverAsync(
            new HubDiscoverQuery
            {
                AgentId = agent.Name,
                Communities = agent.Interests.Communities,
                Keywords = agent.Interests.Keywords,
                ExcludeResponded = true,
                Limit = 10,
            },
            cancellationToken);
        feed = await AddFollowedAsync(agent, feed, cancellationToken);
        feed = Discovery.DiscoveryFeedFilter.Apply(agent.Behavior.Discovery, feed);
        if (feed.Count == 0)
        {
            LogNothingToDiscover(logger, agent.Name);
            return;
        }

        var question = new AgentQuestion
        {
            Subject = "discovery feed",
            Text = PromptBuilder.Discovery(agent, feed, mayComment: commentLimit is null, mayPost: postLimit is null),
            About = feed[0].Content,
        };
        var answer = await run.AskAsync(question, cancellationToken);
        if (answer.IsSkip)
        {
            tally.Skipped++;
            ActivationLog.ReplySkipped(logger, agent.Name, Subject);
            return;
        }

        if (answer.PublishedThroughTool)
        {
            ActivationLog.PublishedThroughTool(logger, agent.Name, Subject);
            return;
        }

        var minConfidence = agent.Behavior.Discovery.MinConfidence;
        var confidence = answer.Confidence;
        if (confidence is { } stated && stated < minConfidence)
        {
            tally.Skipped++;
            run.NoteLastConversationResult(string.Create(CultureInfo.InvariantCulture, $"held back: confidence {stated:0.##} below min_confidence {minConfidence:0.##}"));
            LogLowConfidence(logger, agent.Name, stated, minConfidence);
            return;
        }

        if (confidence is null && minConfidence > 0)
        {
            LogConfidenceNotStated(logger, agent.Name);
        }

        var text = answer.TextWithoutConfidence;
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        var head = (newline < 0 ? text : text[..newline]).Trim();
        var body = newline < 0 ? "" : text[(newline + 1)..].Trim();
        var parts = head.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 2 && parts[0].Equals("REPLY", StringComparison.OrdinalIgnoreCase) && body.Length > 0
            && feed.FirstOrDefault(p => p.Id == parts[1]) is { } post)
        {
            if (await gate.CheckLimitAsync(run, AgentAction.Comment, post.Id, 0, "discovery reply to " + post.Id, cancellationToken) is not null)
            {
                tally.Skipped++;
                return;
            }

            await run.EnsureLeaseAsync(cancellationToken);
            var created = await hub.CreateCommentAsync(post.Id, new CreateCommentRequest { AgentId = agent.Name, Content = body }, HubIdempotencyKey.For(agent.Name, post.Id, "discovery-reply"), cancellationToken);
            await gate.RecordAsync(run, AgentAction.Comment, post.Id, cancellationToken);
            tally.Replies++;
            ActivationLog.CreatedComment(logger, agent.Name, created.Id, post.Id);
        }
        else if (parts.Length == 2 && parts[0].Equals("POST", StringComparison.OrdinalIgnoreCase) && body.Length > 0)
        {
            if (await gate.CheckLimitAsync(run, AgentAction.Post, null, 0, "discovery post in " + parts[1], cancellationToken) is not null)
            {
                tally.Skipped++;
                return;
            }

            var key = HubIdempotencyKey.For(agent.Name, run.Context.Work.Item.CreatedAt.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), "discovery-post");
            await run.EnsureLeaseAsync(cancellationToken);
            var created = await hub.CreatePostAsync(new CreatePostRequest { AgentId = agent.Name, Community = parts[1], Content = body }, key, cancellationToken);
            await gate.RecordAsync(run, AgentAction.Post, null, cancellationToken);
            tally.Posts++;
            LogCreatedPost(logger, agent.Name, created.Id, parts[1]);
        }
        else
        {
            tally.Skipped++;
            LogUnusableAnswer(logger, agent.Name);
        }
    }

    /// <summary>
    /// <c>interests.follow_agents</c>: the followed agents' new posts (any community, not yet answered) come first in the
    /// feed, then the rest without repeats. Only posts whose author is followed are taken from that answer, so a Hub
    /// that ignores <c>authors</c> adds nothing it should not.
    /// </summary>
    private async Task<IReadOnlyList<HubPost>> AddFollowedAsync(Definitions.Model.AgentDefinition agent, IReadOnlyList<HubPost> feed, CancellationToken cancellationToken)
    {
        var followed = agent.Interests.FollowAgents
            .Select(a => a.Trim().TrimStart('@'))
            .Where(a => a.Length > 0)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        if (followed.Count == 0)
        {
            return feed;
        }

        var theirs = await hub.DiscoverAsync(
            new HubDiscoverQuery { AgentId = agent.Name, Authors = followed, ExcludeResponded = true, Limit = FollowedLimit },
            cancellationToken);
        var names = followed.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var added = theirs.Where(p => names.Contains(p.Author.Name) || names.Contains(p.Author.Id)).ToList();
        LogFollowedPosts(logger, agent.Name, added.Count, followed.Count);
        if (added.Count == 0)
        {
            return feed;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        return [.. added.Concat(feed).Where(p => seen.Add(p.Id))];
    }

    [LoggerMessage(EventName = "followed_posts", Level = LogLevel.Debug, Message = "Agent {AgentId}: {Count} new posts of the {Followed} agents it follows added to the discovery feed")]
    private static partial void LogFollowedPosts(ILogger logger, string agentId, int count, int followed);

    [LoggerMessage(EventName = "low_confidence_skipped", Level = LogLevel.Information, Message = "Agent {AgentId}: the discovery answer states confidence {Confidence}, below min_confidence {MinConfidence}; nothing posted")]
    private static partial void LogLowConfidence(ILogger logger, string agentId, double confidence, double minConfidence);

    [LoggerMessage(EventName = "confidence_not_stated", Level = LogLevel.Debug, Message = "Agent {AgentId}: the discovery answer states no confidence; min_confidence does not hold it back")]
    private static partial void LogConfidenceNotStated(ILogger logger, string agentId);

    [LoggerMessage(EventName = "created_post", Level = LogLevel.Information, Message = "Agent {AgentId} created post {PostId} in {Community}")]
    private static partial void LogCreatedPost(ILogger logger, string agentId, string postId, string community);

    [LoggerMessage(EventName = "nothing_to_discover", Level = LogLevel.Information, Message = "Agent {AgentId}: the discovery feed is empty")]
    private static partial void LogNothingToDiscover(ILogger logger, string agentId);

    [LoggerMessage(EventName = "unusable_answer", Level = LogLevel.Warning, Message = "Agent {AgentId}: the discovery answer was neither SKIP, REPLY <id> nor POST <community>; nothing posted")]
    private static partial void LogUnusableAnswer(ILogger logger, string agentId);
}
