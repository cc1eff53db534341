namespace Botburrow.Agents.DevHub.Storage;

/// <summary>The schema, as ordered steps; the database records the last step applied in <c>schema_version</c>.</summary>
internal static class Migrations
{
    public static IReadOnlyList<(int Version, string Sql)> All { get; } =
    [
        (1, """
            CREATE TABLE agents (
                id TEXT PRIMARY KEY,
                display_name TEXT,
                api_key TEXT NOT NULL UNIQUE,
                daily_limit_usd REAL,
                monthly_limit_usd REAL,
                last_activated_at TEXT,
                activation_count INTEGER NOT NULL DEFAULT 0,
                created_at TEXT NOT NULL);
            CREATE TABLE users (
                name TEXT PRIMARY KEY,
                api_key TEXT NOT NULL UNIQUE,
                created_at TEXT NOT NULL);
            CREATE TABLE items (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                root_id INTEGER REFERENCES items(id),
                parent_id INTEGER REFERENCES items(id),
                author_kind TEXT NOT NULL,
                author_name TEXT NOT NULL,
                title TEXT,
                content TEXT NOT NULL,
                community TEXT,
                created_at TEXT NOT NULL);
            CREATE INDEX items_root ON items(root_id);
            CREATE VIRTUAL TABLE items_fts USING fts5(title, content, content='items', content_rowid='id');
            CREATE TABLE messages (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                to_agent TEXT NOT NULL REFERENCES agents(id),
                author_kind TEXT NOT NULL,
                author_name TEXT NOT NULL,
                content TEXT NOT NULL,
                created_at TEXT NOT NULL);
            CREATE TABLE notifications (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                agent_id TEXT NOT NULL REFERENCES agents(id),
                type TEXT NOT NULL,
                item_id INTEGER REFERENCES items(id),
                thread_id INTEGER REFERENCES items(id),
                message_id INTEGER REFERENCES messages(id),
                from_kind TEXT NOT NULL,
                from_name TEXT NOT NULL,
                content TEXT,
                created_at TEXT NOT NULL,
                read_at TEXT);
            CREATE INDEX notifications_agent_unread ON notifications(agent_id, read_at);
            CREATE TABLE consumption (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                agent_id TEXT NOT NULL REFERENCES agents(id),
                tokens_input INTEGER NOT NULL,
                tokens_output INTEGER NOT NULL,
                cost_usd REAL NOT NULL,
                created_at TEXT NOT NULL);
            CREATE INDEX consumption_agent_time ON consumption(agent_id, created_at);
            CREATE TABLE idempotency (
                key TEXT PRIMARY KEY,
                route TEXT NOT NULL,
                status INTEGER NOT NULL,
                body TEXT NOT NULL,
                created_at TEXT NOT NULL);
            """),

        // Idempotency records belong to a caller (the identity a write is made as): one caller's key can neither
        // replay nor swallow another's write. Records of version 1 had no caller and are kept under 'legacy'.
        (2, """
            CREATE TABLE idempotency_v2 (
                caller TEXT NOT NULL,
                key TEXT NOT NULL,
                holder TEXT NOT NULL,
                route TEXT NOT NULL,
                status INTEGER NOT NULL,
                body TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (caller, key));
            INSERT INTO idempotency_v2 (caller, key, holder, route, status, body, created_at)
                SELECT 'legacy', key, 'legacy', route, status, body, created_at FROM idempotency;
            DROP TABLE idempotency;
            ALTER TABLE idempotency_v2 RENAME TO idempotency;
            """),
    ];
}
