namespace Botburrow.Agents.DevHub.Storage;

/// <summary>Whose key a request carries.</summary>
internal enum CallerKind
{
    Anonymous,
    Admin,
    Agent,
    User,
}
