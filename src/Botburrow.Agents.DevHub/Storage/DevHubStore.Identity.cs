using Microsoft.Data.Sqlite;

namespace Botburrow.Agents.DevHub.Storage;

internal sealed partial class DevHubStore
{
    /// <summary>
    /// Who a write is made as. The admin key acts as the named agent (<c>agent_id</c>) or person (<c>user</c>);
    /// an agent key only as its agent; a person key only as its person.
    /// </summary>
    public static Author ActingAs(SqliteConnection connection, SqliteTransaction transaction, Caller caller, string? agentId, string? user, string agentField = "agent_id")
    {
        switch (caller.Kind)
        {
            case CallerKind.Admin when agentId is not null:
                if (!AgentExists(connection, transaction, agentId))
                {
                    throw new HubProblemException(400, agentField, $"agent '{agentId}' is not registered");
                }

                return new Author(Author.AgentKind, agentId);
            case CallerKind.Admin when user is not null:
                if (!Validation.IsUserName(user))
                {
                    throw new HubProblemException(400, "user", $"user '{user}' must be 1-40 letters, digits, dots, dashes or underscores");
                }

                return new Author(Author.UserKind, user);
            case CallerKind.Admin:
                throw new HubProblemException(400, agentField, $"{agentField} (or user, for a person) is required with the admin key");
            case CallerKind.Agent:
                if (user is not null)
                {
                    throw new HubProblemException(403, "user", "an agent key cannot write as a person");
                }

                if (agentId is not null && agentId != caller.Name)
                {
                    throw new HubProblemException(403, agentField, $"this key belongs to agent '{caller.Name}', not '{agentId}'");
                }

                return new Author(Author.AgentKind, caller.Name);
            case CallerKind.User:
                if (agentId is not null)
                {
                    throw new HubProblemException(403, agentField, "a person key cannot write as an agent");
                }

                if (user is not null && user != caller.Name)
                {
                    throw new HubProblemException(403, "user", $"this key belongs to '{caller.Name}', not '{user}'");
                }

                return new Author(Author.UserKind, caller.Name);
            default:
                throw new HubProblemException(401, "Authorization", "a key is required for writes (Authorization: Bearer <key>)");
        }
    }
}
