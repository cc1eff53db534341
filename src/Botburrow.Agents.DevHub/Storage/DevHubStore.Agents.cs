using Botburrow.Agents.Hub;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Botburrow.Agents.DevHub.Storage;

internal sealed partial class DevHubStore
{
    private const string AgentColumns = """
        a.id, a.display_name, a.api_key, a.daily_limit_usd, a.monthly_limit_usd, a.last_activated_at, a.activation_count,
        (SELECT COUNT(*) FROM notifications n WHERE n.agent_id = a.id AND n.read_at IS NULL) AS notification_count
        """;

    /// <summary>Registers an agent (issuing its key) or updates its display name and limits.</summary>
    public RegisteredAgent UpsertAgent(SqliteConnection connection, SqliteTransaction transaction, RegisterAgentRequest request, bool onlyIfMissing = false)
    {
        if (!Validation.IsAgentName(request.Name))
        {
            throw new HubProblemException(400, "name", $"name '{request.Name}' must be 1-50 lower-case letters, digits and dashes");
        }

        if (request.DailyLimitUsd < 0)
        {
            throw new HubProblemException(400, "daily_limit_usd", "daily_limit_usd must not be negative");
        }

        if (request.MonthlyLimitUsd < 0)
        {
            throw new HubProblemException(400, "monthly_limit_usd", "monthly_limit_usd must not be negative");
        }

        var existing = connection.QuerySingleOrDefault<Rows.AgentRow>($"SELECT {AgentColumns} FROM agents a WHERE a.id = @Name", new { request.Name }, transaction);
        if (existing is null)
        {
            connection.Execute(
                "INSERT INTO agents (id, display_name, api_key, daily_limit_usd, monthly_limit_usd, created_at) VALUES (@Name, @DisplayName, @key, @DailyLimitUsd, @MonthlyLimitUsd, @now)",
                new { request.Name, request.DisplayName, key = NewKey("botburrow_agent_"), request.DailyLimitUsd, request.MonthlyLimitUsd, now = Now() },
                transaction);
            DevHubLog.AgentRegistered(_logger, request.Name);
        }
        else if (!onlyIfMissing)
        {
            connection.Execute(
                """
                UPDATE agents SET display_name = COALESCE(@DisplayName, display_name),
                    daily_limit_usd = COALESCE(@DailyLimitUsd, daily_limit_usd),
                    monthly_limit_usd = COALESCE(@MonthlyLimitUsd, monthly_limit_usd)
                WHERE id = @Name
                """,
                new { request.Name, request.DisplayName, request.DailyLimitUsd, request.MonthlyLimitUsd },
                transaction);
        }

        var row = connection.QuerySingle<Rows.AgentRow>($"SELECT {AgentColumns} FROM agents a WHERE a.id = @Name", new { request.Name }, transaction);
        return new RegisteredAgent
        {
            Id = row.Id,
            Name = row.Id,
            DisplayName = row.DisplayName,
            ApiKey = row.ApiKey,
            DailyLimitUsd = row.DailyLimitUsd ?? _options.DefaultDailyLimitUsd,
            MonthlyLimitUsd = row.MonthlyLimitUsd ?? _options.DefaultMonthlyLimitUsd,
        };
    }

    /// <summary>Registers a person and issues a person key (or returns the one already issued).</summary>
    public RegisteredUser UpsertUser(SqliteConnection connection, SqliteTransaction transaction, string name)
    {
        if (!Validation.IsUserName(name))
        {
            throw new HubProblemException(400, "name", $"name '{name}' must be 1-40 letters, digits, dots, dashes or underscores");
        }

        connection.Execute(
            "INSERT INTO users (name, api_key, created_at) VALUES (@name, @key, @now) ON CONFLICT(name) DO NOTHING",
            new { name, key = NewKey("botburrow_user_"), now = Now() },
            transaction);
        var key = connection.QuerySingle<string>("SELECT api_key FROM users WHERE name = @name", new { name }, transaction);
        return new RegisteredUser { Name = name, ApiKey = key };
    }

    public HubAcknowledgement MarkActivated(SqliteConnection connection, SqliteTransaction transaction, string agentId)
    {
        var now = TimeProvider.GetUtcNow();
        var changed = connection.Execute(
            "UPDATE agents SET last_activated_at = @now, activation_count = activation_count + 1 WHERE id = @agentId",
            new { agentId, now = Timestamps.Write(now) },
            transaction);
        if (changed == 0)
        {
            throw new HubProblemException(404, "id", $"agent '{agentId}' is not registered");
        }

        return new HubAcknowledgement { Status = "ok", AgentId = agentId, LastActivatedAt = now };
    }

    public static bool AgentExists(SqliteConnection connection, SqliteTransaction? transaction, string agentId) =>
        connection.ExecuteScalar<long>("SELECT COUNT(*) FROM agents WHERE id = @agentId", new { agentId }, transaction) > 0;

    public async Task<bool> AgentExistsAsync(string agentId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return AgentExists(connection, null, agentId);
    }

    /// <summary>Every agent, with its unread count and last activation.</summary>
    public async Task<IReadOnlyList<HubAgent>> ListAgentsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Rows.AgentRow>(new CommandDefinition($"SELECT {AgentColumns} FROM agents a ORDER BY a.id", cancellationToken: cancellationToken));
        return [.. rows.Select(ToAgent)];
    }

    /// <summary>Agents with unread notifications, the longest waiting first.</summary>
    public async Task<IReadOnlyList<HubAgent>> AgentsWithNotificationsAsync(int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var rows = await connection.QueryAsync<Rows.AgentRow>(new CommandDefinition(
            $"""
            SELECT {AgentColumns} FROM agents a
            WHERE EXISTS (SELECT 1 FROM notifications n WHERE n.agent_id = a.id AND n.read_at IS NULL)
            ORDER BY (SELECT MIN(n.id) FROM notifications n WHERE n.agent_id = a.id AND n.read_at IS NULL)
            LIMIT @limit
            """,
            new { limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(ToAgent)];
    }

    /// <summary>Agents not activated for <paramref name="minStaleness"/>: never-activated first, then the longest idle.</summary>
    public async Task<IReadOnlyList<HubAgent>> StaleAgentsAsync(TimeSpan minStaleness, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var cutoff = Timestamps.Write(TimeProvider.GetUtcNow() - minStaleness);
        var rows = await connection.QueryAsync<Rows.AgentRow>(new CommandDefinition(
            $"""
            SELECT {AgentColumns} FROM agents a
            WHERE a.last_activated_at IS NULL OR a.last_activated_at <= @cutoff
            ORDER BY a.last_activated_at IS NOT NULL, a.last_activated_at, a.id
            LIMIT @limit
            """,
            new { cutoff, limit },
            cancellationToken: cancellationToken));
        return [.. rows.Select(ToAgent)];
    }

    private static HubAgent ToAgent(Rows.AgentRow row) => new()
    {
        Id = row.Id,
        Name = row.Id,
        DisplayName = row.DisplayName,
        NotificationCount = (int)row.NotificationCount,
        LastActivatedAt = Timestamps.ReadOptional(row.LastActivatedAt),
        ActivationCount = (int)row.ActivationCount,
    };
}
