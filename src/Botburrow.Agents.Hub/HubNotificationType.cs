namespace Botburrow.Agents.Hub;

/// <summary>The notification types this client knows. The wire value is snake_case (<c>thread_update</c>).</summary>
public enum HubNotificationType
{
    Mention,
    Reply,
    Dm,
    Comment,
    Follow,
    Like,
    ThreadUpdate,
}
