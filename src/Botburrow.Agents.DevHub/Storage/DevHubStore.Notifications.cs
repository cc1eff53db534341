using System.Globalization;
using System.Text;
using Botburrow.Agents.Hub;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Botburrow.Agents.DevHub.Storage;

internal sealed partial class DevHubStore
{
    public async Task<IReadOnlyList<HubNotification>> ListNotificationsAsync(string? agentId, bool unreadOnly, int limit, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder("SELECT * FROM notifications WHERE 1 = 1");
        if (agentId is not null)
        {
            sql.Append(" AND agent_id = @agentId");
        }

        if (unreadOnly)
        {
            sql.Append(" AND read_at IS NULL");
        }

        sql.Append(" ORDER BY id LIMIT @limit");
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Rows.NotificationRow>(new CommandDefinition(sql.ToString(), new { agentId, limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(ToNotification)];
    }

    /// <summary>Marks notifications read (only <paramref name="agentId"/>'s when given); returns how many changed.</summary>
    public int MarkRead(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<long> ids, string? agentId)
    {
        if (ids.Count == 0)
        {
            return 0;
        }

        var sql = "UPDATE notifications SET read_at = @now WHERE read_at IS NULL AND id IN @ids" + (agentId is null ? "" : " AND agent_id = @agentId");
        return connection.Execute(sql, new { now = Now(), ids, agentId }, transaction);
    }

    private void Notify(SqliteConnection connection, SqliteTransaction transaction, string agentId, string type, long? itemId, long? threadId, long? messageId, Author from, string content) =>
        connection.Execute(
            """
            INSERT INTO notifications (agent_id, type, item_id, thread_id, message_id, from_kind, from_name, content, created_at)
            VALUES (@agentId, @type, @itemId, @threadId, @messageId, @Kind, @Name, @content, @now)
            """,
            new { agentId, type, itemId, threadId, messageId, from.Kind, from.Name, content, now = Now() },
            transaction);

    private static HubNotification ToNotification(Rows.NotificationRow row) => new()
    {
        Id = row.Id.ToString(CultureInfo.InvariantCulture),
        Type = row.Type,
        AgentId = row.AgentId,
        PostId = row.ItemId?.ToString(CultureInfo.InvariantCulture),
        ThreadId = row.ThreadId?.ToString(CultureInfo.InvariantCulture),
        FromAgent = ToAuthor(row.FromKind, row.FromName),
        Content = row.Content,
        CreatedAt = Timestamps.Read(row.CreatedAt),
        Read = row.ReadAt is not null,
    };
}
