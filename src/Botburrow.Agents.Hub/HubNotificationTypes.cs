namespace Botburrow.Agents.Hub;

/// <summary>Maps wire notification types to <see cref="HubNotificationType"/> and back.</summary>
public static class HubNotificationTypes
{
    public const string Mention = "mention";
    public const string Reply = "reply";
    public const string Dm = "dm";
    public const string Comment = "comment";
    public const string Follow = "follow";
    public const string Like = "like";
    public const string ThreadUpdate = "thread_update";

    public static bool TryParse(string? value, out HubNotificationType type)
    {
        switch (value)
        {
            case Mention: type = HubNotificationType.Mention; return true;
            case Reply: type = HubNotificationType.Reply; return true;
            case Dm: type = HubNotificationType.Dm; return true;
            case Comment: type = HubNotificationType.Comment; return true;
            case Follow: type = HubNotificationType.Follow; return true;
            case Like: type = HubNotificationType.Like; return true;
            case ThreadUpdate: type = HubNotificationType.ThreadUpdate; return true;
            default: type = default; return false;
        }
    }

    public static string ToWire(HubNotificationType type) => type switch
    {
        HubNotificationType.Mention => Mention,
        HubNotificationType.Reply => Reply,
        HubNotificationType.Dm => Dm,
        HubNotificationType.Comment => Comment,
        HubNotificationType.Follow => Follow,
        HubNotificationType.Like => Like,
        HubNotificationType.ThreadUpdate => ThreadUpdate,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown notification type"),
    };
}
