using System.Text;
using System.Text.RegularExpressions;
using Botburrow.Agents.Hub;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Botburrow.Agents.DevHub.Storage;

internal sealed partial class DevHubStore
{
    private const string ItemColumns = """
        i.id, i.root_id, i.parent_id, i.author_kind, i.author_name, i.title, i.content, i.community, i.created_at,
        (SELECT COUNT(*) FROM items c WHERE c.root_id = i.id) AS comment_count
        """;

    /// <summary>Writes a post (no parent) or a comment answering <paramref name="parentId"/>, with its notifications.</summary>
    public HubCreated CreateItem(SqliteConnection connection, SqliteTransaction transaction, Author author, long? parentId, string? title, string content, string? community)
    {
        long? rootId = null;
        Rows.ItemRow? parent = null;
        if (parentId is { } pid)
        {
            parent = connection.QuerySingleOrDefault<Rows.ItemRow>($"SELECT {ItemColumns} FROM items i WHERE i.id = @pid", new { pid }, transaction)
                ?? throw new HubProblemException(404, "id", $"post {pid} does not exist");
            rootId = parent.RootId ?? parent.Id;
            community = null;
            title = null;
        }

        var now = TimeProvider.GetUtcNow();
        var id = connection.ExecuteScalar<long>(
            """
            INSERT INTO items (root_id, parent_id, author_kind, author_name, title, content, community, created_at)
            VALUES (@rootId, @parentId, @Kind, @Name, @title, @content, @community, @now) RETURNING id
            """,
            new { rootId, parentId, author.Kind, author.Name, title, content, community, now = Timestamps.Write(now) },
            transaction);
        connection.Execute("INSERT INTO items_fts (rowid, title, content) VALUES (@id, @title, @content)", new { id, title, content }, transaction);

        var threadId = rootId ?? id;
        var notified = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in Validation.Mentions((title ?? "") + "\n" + content))
        {
            if ((author.IsAgent && author.Name == name) || !AgentExists(connection, transaction, name))
            {
                continue;
            }

            Notify(connection, transaction, name, HubNotificationTypes.Mention, id, threadId, null, author, content);
            notified.Add(name);
        }

        if (parent is { AuthorKind: Author.AgentKind } && !(author.IsAgent && author.Name == parent.AuthorName) && !notified.Contains(parent.AuthorName))
        {
            Notify(connection, transaction, parent.AuthorName, HubNotificationTypes.Reply, id, threadId, null, author, content);
        }

        return new HubCreated { Id = id.ToString(System.Globalization.CultureInfo.InvariantCulture), CreatedAt = now, Author = ToAuthor(author.Kind, author.Name) };
    }

    /// <summary>Writes a direct message and the recipient's <c>dm</c> notification.</summary>
    public HubCreated CreateMessage(SqliteConnection connection, SqliteTransaction transaction, Author author, string toAgent, string content)
    {
        if (!AgentExists(connection, transaction, toAgent))
        {
            throw new HubProblemException(400, "to_agent_id", $"agent '{toAgent}' is not registered");
        }

        var now = TimeProvider.GetUtcNow();
        var id = connection.ExecuteScalar<long>(
            "INSERT INTO messages (to_agent, author_kind, author_name, content, created_at) VALUES (@toAgent, @Kind, @Name, @content, @now) RETURNING id",
            new { toAgent, author.Kind, author.Name, content, now = Timestamps.Write(now) },
            transaction);
        if (!(author.IsAgent && author.Name == toAgent))
        {
            Notify(connection, transaction, toAgent, HubNotificationTypes.Dm, null, null, id, author, content);
        }

        return new HubCreated { Id = "dm-" + id.ToString(System.Globalization.CultureInfo.InvariantCulture), CreatedAt = now, Author = ToAuthor(author.Kind, author.Name) };
    }

    /// <summary>A post or comment; with <paramref name="includeComments"/>, the root of its thread with every comment.</summary>
    public async Task<HubPost?> GetPostAsync(long id, bool includeComments, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<Rows.ItemRow>(new CommandDefinition($"SELECT {ItemColumns} FROM items i WHERE i.id = @id", new { id }, cancellationToken: cancellationToken));
        if (row is null)
        {
            return null;
        }

        if (!includeComments)
        {
            return ToPost(row);
        }

        if (row.RootId is { } rootId)
        {
            row = await connection.QuerySingleAsync<Rows.ItemRow>(new CommandDefinition($"SELECT {ItemColumns} FROM items i WHERE i.id = @rootId", new { rootId }, cancellationToken: cancellationToken));
        }

        var comments = await connection.QueryAsync<Rows.ItemRow>(new CommandDefinition(
            $"SELECT {ItemColumns} FROM items i WHERE i.root_id = @Id ORDER BY i.id", new { row.Id }, cancellationToken: cancellationToken));
        return ToPost(row) with { Comments = [.. comments.Select(ToComment)] };
    }

    /// <summary>The newest posts (roots only), for the page.</summary>
    public async Task<IReadOnlyList<HubPost>> TimelineAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Rows.ItemRow>(new CommandDefinition(
            $"SELECT {ItemColumns} FROM items i WHERE i.root_id IS NULL ORDER BY i.id DESC LIMIT @limit", new { limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(ToPost)];
    }

    /// <summary>Full-text search (FTS5) over posts and comments; every word must match.</summary>
    public async Task<IReadOnlyList<HubPost>> SearchAsync(string query, int limit, string? community, string? author, CancellationToken cancellationToken)
    {
        var words = SearchWord().Matches(query).Select(m => "\"" + m.Value + "\"").ToList();
        if (words.Count == 0)
        {
            throw new HubProblemException(400, "q", "q must contain at least one word");
        }

        var sql = new StringBuilder($"SELECT {ItemColumns} FROM items_fts f JOIN items i ON i.id = f.rowid WHERE items_fts MATCH @match");
        if (community is not null)
        {
            sql.Append(" AND (i.community = @community OR (SELECT r.community FROM items r WHERE r.id = i.root_id) = @community)");
        }

        if (author is not null)
        {
            sql.Append(" AND i.author_name = @author");
        }

        sql.Append(" ORDER BY f.rank, i.id DESC LIMIT @limit");
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Rows.ItemRow>(new CommandDefinition(
            sql.ToString(), new { match = string.Join(' ', words), community, author, limit }, cancellationToken: cancellationToken));
        return [.. rows.Select(ToPost)];
    }

    /// <summary>Posts for an exploring agent: in the communities (any), containing a keyword (any), by one of the authors (any), newest first.</summary>
    public async Task<IReadOnlyList<HubPost>> DiscoverAsync(string? agentId, IReadOnlyList<string> communities, IReadOnlyList<string> keywords, IReadOnlyList<string> authors, bool excludeResponded, int limit, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder($"SELECT {ItemColumns} FROM items i WHERE i.root_id IS NULL");
        var parameters = new DynamicParameters();
        parameters.Add("limit", limit);
        if (communities.Count > 0)
        {
            sql.Append(" AND i.community IN @communities");
            parameters.Add("communities", communities);
        }

        if (keywords.Count > 0)
        {
            sql.Append(" AND (");
            for (var k = 0; k < keywords.Count; k++)
            {
                sql.Append(k == 0 ? "" : " OR ").Append(System.Globalization.CultureInfo.InvariantCulture, $"lower(COALESCE(i.title, '') || ' ' || i.content) LIKE @k{k} ESCAPE '\\'");
                parameters.Add($"k{k}", "%" + keywords[k].ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%");
            }

            sql.Append(')');
        }

        if (authors.Count > 0)
        {
            sql.Append(" AND i.author_name IN @authors");
            parameters.Add("authors", authors);
        }

        if (excludeResponded && agentId is not null)
        {
            sql.Append(" AND NOT (i.author_kind = 'agent' AND i.author_name = @agentId)");
            sql.Append(" AND NOT EXISTS (SELECT 1 FROM items c WHERE c.root_id = i.id AND c.author_kind = 'agent' AND c.author_name = @agentId)");
            parameters.Add("agentId", agentId);
        }

        sql.Append(" ORDER BY i.id DESC LIMIT @limit");
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Rows.ItemRow>(new CommandDefinition(sql.ToString(), parameters, cancellationToken: cancellationToken));
        return [.. rows.Select(ToPost)];
    }

    private static HubAuthor ToAuthor(string kind, string name) => new() { Id = name, Name = name, Kind = kind };

    private static HubPost ToPost(Rows.ItemRow row) => new()
    {
        Id = row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Author = ToAuthor(row.AuthorKind, row.AuthorName),
        Title = row.Title,
        Content = row.Content,
        Community = row.Community,
        ParentId = row.ParentId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        CreatedAt = Timestamps.Read(row.CreatedAt),
        CommentCount = row.RootId is null ? (int)row.CommentCount : null,
    };

    private static HubComment ToComment(Rows.ItemRow row) => new()
    {
        Id = row.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        Author = ToAuthor(row.AuthorKind, row.AuthorName),
        Content = row.Content,
        ParentId = row.ParentId?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        CreatedAt = Timestamps.Read(row.CreatedAt),
    };

    [GeneratedRegex(@"[\p{L}\p{N}_]+")]
    private static partial Regex SearchWord();
}
