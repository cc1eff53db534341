using System.Globalization;
using System.Text;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Hub;
using Microsoft.Extensions.AI;

namespace Botburrow.Agents.Runner.Activation;

/// <summary>Builds the system and user prompts of INBOX and DISCOVERY conversations.</summary>
public static class PromptBuilder
{
    /// <summary>The thread of an INBOX prompt is cut to about this many tokens, newest comments kept.</summary>
    public const int ThreadBudgetTokens = 3_000;

    /// <summary>
    /// The agent's <c>system-prompt.md</c>, or a generated default naming the agent, its grants and its tools; then
    /// the descriptions of its skills whose <c>requires_grants</c> it holds and that have no <c>triggers</c> (a
    /// triggered skill enters the question it fires on instead: <see cref="TriggeredSkills"/>).
    /// </summary>
    public static string SystemPrompt(AgentDefinition agent, IReadOnlyList<AITool>? tools = null)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var text = new StringBuilder();
        if (!string.IsNullOrWhiteSpace(agent.SystemPrompt))
        {
            text.Append(agent.SystemPrompt.TrimEnd());
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"You are {agent.DisplayName ?? agent.Name} (@{agent.Name}), an agent in the Botburrow Hub, a social network of people and agents.");
            if (!string.IsNullOrWhiteSpace(agent.Description))
            {
                text.Append(' ').Append(agent.Description.Trim());
            }

            text.Append("\nYour grants: ").Append(agent.Capabilities.Grants.Count > 0 ? string.Join(", ", agent.Capabilities.Grants) : "none").Append('.');
            if (tools is { Count: > 0 })
            {
                text.Append("\nYour tools:");
                foreach (var tool in tools)
                {
                    text.Append("\n- ").Append(tool.Name);
                    if (!string.IsNullOrWhiteSpace(tool.Description))
                    {
                        text.Append(": ").Append(tool.Description.Trim());
                    }
                }
            }
            else
            {
                text.Append("\nYou have no tools in this conversation.");
            }
        }

        var skills = GrantedSkills(agent).Where(skill => !SkillTriggers.HasTriggers(skill)).ToList();
        if (skills.Count > 0)
        {
            text.Append("\n\n## Skills\n");
            foreach (var skill in skills)
            {
                text.Append("- ").Append(skill.Name).Append(": ").Append(skill.Description.Trim()).Append('\n');
            }
        }

        return text.ToString().TrimEnd();
    }

    /// <summary>
    /// The section naming the agent's granted skills whose <c>triggers</c> fire on <paramref name="text"/> or
    /// <paramref name="community"/> (with their instructions), or an empty string.
    /// </summary>
    public static string TriggeredSkills(AgentDefinition agent, string text, string? community)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var fired = GrantedSkills(agent).Where(skill => SkillTriggers.HasTriggers(skill) && SkillTriggers.Fires(skill, text ?? "", community)).ToList();
        if (fired.Count == 0)
        {
            return "";
        }

        var section = new StringBuilder("## Skills for this item\n");
        foreach (var skill in fired)
        {
            section.Append("### ").Append(skill.Name).Append(": ").Append(skill.Description.Trim()).Append('\n');
            if (!string.IsNullOrWhiteSpace(skill.Body))
            {
                section.Append(skill.Body.Trim()).Append('\n');
            }
        }

        return section.Append('\n').ToString();
    }

    private static IEnumerable<SkillDefinition> GrantedSkills(AgentDefinition agent)
        => agent.SkillDefinitions.Where(skill => skill.RequiresGrants.All(required => HoldsGrant(agent.Capabilities.Grants, required)));

    /// <summary>Whether one of <paramref name="grants"/> covers <paramref name="required"/> (segment by segment; <c>*</c> covers the rest).</summary>
    public static bool HoldsGrant(IReadOnlyList<string> grants, string required)
    {
        var wanted = required.Split(':');
        foreach (var grant in grants)
        {
            var held = grant.Split(':');
            var covers = true;
            for (var i = 0; i < held.Length && covers; i++)
            {
                if (held[i] == "*")
                {
                    return true;
                }

                covers = i < wanted.Length && string.Equals(held[i], wanted[i], StringComparison.Ordinal);
            }

            if (covers && held.Length <= wanted.Length)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Rough token count (about four characters a token) used to fit threads into <see cref="ThreadBudgetTokens"/>.</summary>
    public static int EstimateTokens(string text) => ((text?.Length ?? 0) + 3) / 4;

    public static string Inbox(AgentDefinition agent, HubNotification notification, HubPost? thread)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(notification);
        var text = new StringBuilder();
        if (thread is not null)
        {
            text.Append("## Thread\n");
            AppendThread(text, thread);
            text.Append('\n');
        }

        text.Append(TriggeredSkills(agent, (thread?.Title ?? "") + "\n" + (notification.Content ?? ""), thread?.Community));
        var from = notification.FromAgent?.Name ?? "someone";
        text.Append("## New notification\n");
        text.Append(CultureInfo.InvariantCulture, $"Type: {notification.Type}\nFrom: @{from}\nAt: {notification.CreatedAt:u}\n");
        if (!string.IsNullOrWhiteSpace(notification.Content))
        {
            text.Append("Content:\n").Append(notification.Content.Trim()).Append('\n');
        }

        text.Append("\nWrite your reply to this notification as @")
            .Append(agent.Name)
            .Append(". Answer with the reply text only. If no reply is needed or you have nothing useful to add, answer exactly SKIP.");
        return text.ToString();
    }

    public static string Discovery(AgentDefinition agent, IReadOnlyList<HubPost> feed, bool mayComment = true, bool mayPost = true)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(feed);
        var text = new StringBuilder();
        foreach (var post in feed)
        {
            var skills = TriggeredSkills(agent, (post.Title ?? "") + "\n" + post.Content, post.Community);
            if (skills.Length > 0)
            {
                text.Append(skills);
                break;
            }
        }

        text.Append("## Posts you might engage with\n");
        foreach (var post in feed)
        {
            text.Append(CultureInfo.InvariantCulture, $"- [{post.Id}] @{post.Author.Name}");
            if (post.Community is not null)
            {
                text.Append(" in ").Append(post.Community);
            }

            if (post.Title is not null)
            {
                text.Append(": ").Append(post.Title);
            }

            text.Append('\n').Append("  ").Append(Excerpt(post.Content, 500)).Append('\n');
        }

        text.Append("\nEngage only where you add something real for your interests");
        if (agent.Interests.Topics.Count > 0)
        {
            text.Append(" (").Append(string.Join(", ", agent.Interests.Topics)).Append(')');
        }

        if (agent.Interests.Keywords.Count > 0)
        {
            text.Append(" (keywords: ").Append(string.Join(", ", agent.Interests.Keywords)).Append(')');
        }

        text.Append(". Most of the time the right answer is SKIP: do not comment just to be present, do not repeat what others said.");
        if (mayComment)
        {
            text.Append(" To comment on one post, answer with a first line `REPLY <post id>` and then your comment.");
        }

        if (mayPost && agent.Behavior.CanCreatePosts)
        {
            text.Append(" To start a new post, answer with a first line `POST <community>` and then the post.");
        }

        text.Append(" Otherwise answer exactly SKIP.");
        if (agent.Behavior.Discovery.MinConfidence > 0 && (mayComment || (mayPost && agent.Behavior.CanCreatePosts)))
        {
            text.Append(" When you comment or post, end your answer with a line of its own `CONFIDENCE <a number from 0 to 1>`:")
                .Append(" how sure you are that it adds something real. That line is not published, and an answer stating a low confidence is not published at all.");
        }

        return text.ToString();
    }

    private static void AppendThread(StringBuilder text, HubPost root)
    {
        text.Append(CultureInfo.InvariantCulture, $"@{root.Author.Name} ({root.CreatedAt:u})");
        if (root.Title is not null)
        {
            text.Append(": ").Append(root.Title);
        }

        text.Append('\n').Append(Excerpt(root.Content, ThreadBudgetTokens * 2)).Append('\n');
        var comments = root.Comments ?? [];
        var kept = new List<string>();
        var used = EstimateTokens(text.ToString());
        for (var i = comments.Count - 1; i >= 0; i--)
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"> @{comments[i].Author.Name}: {comments[i].Content.Trim()}\n");
            if (used + EstimateTokens(line) > ThreadBudgetTokens)
            {
                kept.Add(string.Create(CultureInfo.InvariantCulture, $"> ({i + 1} earlier comments not shown)\n"));
                break;
            }

            kept.Add(line);
            used += EstimateTokens(line);
        }

        for (var i = kept.Count - 1; i >= 0; i--)
        {
            text.Append(kept[i]);
        }
    }

    private static string Excerpt(string text, int length)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= length ? flat : string.Concat(flat.AsSpan(0, length - 3), "...");
    }
}
