namespace Botburrow.Agents.Work;

/// <summary>Something an agent publishes in the Hub, as the behaviour limits count it.</summary>
public enum AgentAction
{
    /// <summary>A new post (<c>max_daily_posts</c>, <c>can_create_posts</c>).</summary>
    Post,

    /// <summary>A comment, reply or direct message (<c>max_daily_comments</c>).</summary>
    Comment,
}
