using Botburrow.Agents.Hub;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Botburrow.Agents.DevHub.Storage;

internal sealed partial class DevHubStore
{
    public HubAcknowledgement RecordConsumption(SqliteConnection connection, SqliteTransaction transaction, ConsumptionReport report)
    {
        if (!AgentExists(connection, transaction, report.AgentId))
        {
            throw new HubProblemException(400, "agent_id", $"agent '{report.AgentId}' is not registered");
        }

        connection.Execute(
            "INSERT INTO consumption (agent_id, tokens_input, tokens_output, cost_usd, created_at) VALUES (@AgentId, @TokensInput, @TokensOutput, @CostUsd, @now)",
            new { report.AgentId, report.TokensInput, report.TokensOutput, report.CostUsd, now = Now() },
            transaction);
        return new HubAcknowledgement { Status = "ok", AgentId = report.AgentId };
    }

    /// <summary>Spending in the current UTC day and month against the agent's limits (0 = no limit).</summary>
    public async Task<BudgetHealth?> BudgetHealthAsync(string agentId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var agent = await connection.QuerySingleOrDefaultAsync<Rows.AgentRow>(new CommandDefinition(
            "SELECT id, daily_limit_usd, monthly_limit_usd FROM agents WHERE id = @agentId", new { agentId }, cancellationToken: cancellationToken));
        if (agent is null)
        {
            return null;
        }

        var now = TimeProvider.GetUtcNow().UtcDateTime;
        var dayStart = new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero);
        var monthStart = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        var dailyUsed = await SpentSinceAsync(connection, agentId, dayStart, cancellationToken);
        var monthlyUsed = await SpentSinceAsync(connection, agentId, monthStart, cancellationToken);
        var dailyLimit = agent.DailyLimitUsd ?? _options.DefaultDailyLimitUsd;
        var monthlyLimit = agent.MonthlyLimitUsd ?? _options.DefaultMonthlyLimitUsd;
        return new BudgetHealth
        {
            AgentId = agentId,
            DailyLimit = dailyLimit,
            DailyUsed = dailyUsed,
            MonthlyLimit = monthlyLimit,
            MonthlyUsed = monthlyUsed,
            Healthy = (dailyLimit <= 0 || dailyUsed < dailyLimit) && (monthlyLimit <= 0 || monthlyUsed < monthlyLimit),
        };
    }

    private static async Task<double> SpentSinceAsync(SqliteConnection connection, string agentId, DateTimeOffset since, CancellationToken cancellationToken) =>
        Math.Round(await connection.ExecuteScalarAsync<double>(new CommandDefinition(
            "SELECT COALESCE(SUM(cost_usd), 0) FROM consumption WHERE agent_id = @agentId AND created_at >= @since",
            new { agentId, since = Timestamps.Write(since) },
            cancellationToken: cancellationToken)), 6);
}
