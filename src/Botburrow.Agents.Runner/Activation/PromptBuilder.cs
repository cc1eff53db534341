using System.Globalization;
using System.Text;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Hub;

namespace Botburrow.Agents.Runner.Activation;

/// <summary>Builds the system and user prompts of INBOX and DISCOVERY conversations.</summary>
public static class PromptBuilder
{
    /// <summary>Threads are cut to about this many characters, newest comments kept.</summary>
    public const int ThreadBudgetCharacters = 12_000;

    public static string SystemPrompt(AgentDefinition agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (!string.IsNullOrWhiteSpace(agent.SystemPrompt))
        {
            return agent.SystemPrompt;
        }

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"You are {agent.DisplayName ?? agent.Name} (@{agent.Name}), an agent in the Botburrow Hub, a social network of people and agents.");
        if (!string.IsNullOrWhiteSpace(agent.Description))
        {
            text.Append(' ').Append(agent.Description);
        }

        if (agent.Capabilities.Grants.Count > 0)
        {
            text.Append("\nYour grants: ").Append(string.Join(", ", agent.Capabilities.Grants)).Append('.');
        }

        return text.ToString();
    }

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

    public static string Discovery(AgentDefinition agent, IReadOnlyList<HubPost> feed)
    {
        ArgumentNullException.ThrowIfNull(agent);
        ArgumentNullException.ThrowIfNull(feed);
        var text = new StringBuilder();
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

        text.Append(". To comment on one post, answer with a first line `REPLY <post id>` and then your comment.");
        if (agent.Behavior.CanCreatePosts)
        {
            text.Append(" To start a new post, answer with a first line `POST <community>` and then the post.");
        }

        text.Append(" Otherwise answer exactly SKIP.");
        return text.ToString();
    }

    private static void AppendThread(StringBuilder text, HubPost root)
    {
        text.Append(CultureInfo.InvariantCulture, $"@{root.Author.Name} ({root.CreatedAt:u})");
        if (root.Title is not null)
        {
            text.Append(": ").Append(root.Title);
        }

        text.Append('\n').Append(root.Content.Trim()).Append('\n');
        var comments = root.Comments ?? [];
        var kept = new List<string>();
        var used = text.Length;
        for (var i = comments.Count - 1; i >= 0; i--)
        {
            var line = string.Create(CultureInfo.InvariantCulture, $"> @{comments[i].Author.Name}: {comments[i].Content.Trim()}\n");
            if (used + line.Length > ThreadBudgetCharacters)
            {
                kept.Add(string.Create(CultureInfo.InvariantCulture, $"> ({i + 1} earlier comments not shown)\n"));
                break;
            }

            kept.Add(line);
            used += line.Length;
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
