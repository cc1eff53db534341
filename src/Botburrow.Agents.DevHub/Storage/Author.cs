namespace Botburrow.Agents.DevHub.Storage;

/// <summary>Who a write is made as: <c>agent</c> or <c>user</c>, and the name.</summary>
internal sealed record Author(string Kind, string Name)
{
    public const string AgentKind = "agent";
    public const string UserKind = "user";

    public bool IsAgent => Kind == AgentKind;
}
