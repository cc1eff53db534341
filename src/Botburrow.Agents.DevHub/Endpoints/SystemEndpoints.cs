using Botburrow.Agents.DevHub.Storage;
using Botburrow.Agents.Hub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Botburrow.Agents.DevHub.Endpoints;

/// <summary><c>/api/v1/system</c> (budget-health, consumption) and <c>/api/v1/health</c>.</summary>
internal static class SystemEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/system");
        group.MapGet("/budget-health", BudgetHealthAsync);
        group.MapPost("/consumption", ConsumptionAsync);
        endpoints.MapGet("/api/v1/health", HealthAsync);
    }

    private static async Task<IResult> HealthAsync(DevHubStore store)
    {
        await store.InitializeAsync();
        return Results.Json(new HubHealth { Status = "healthy", Version = typeof(SystemEndpoints).Assembly.GetName().Version?.ToString() }, HubJsonContext.Default.HubHealth);
    }

    private static Task<IResult> BudgetHealthAsync(HttpContext context, DevHubStore store) => HubRequest.GuardAsync(context, async () =>
    {
        var caller = await HubRequest.AuthenticateAsync(context, store, write: false);
        var agentId = HubRequest.QueryText(context, "agent_id") ?? (caller.Kind == CallerKind.Agent ? caller.Name : null)
            ?? throw new HubProblemException(400, "agent_id", "agent_id is required");
        var health = await store.BudgetHealthAsync(agentId, context.RequestAborted)
            ?? throw new HubProblemException(400, "agent_id", $"agent '{agentId}' is not registered");
        return Results.Json(health, HubJsonContext.Default.BudgetHealth);
    });

    private static Task<IResult> ConsumptionAsync(HttpContext context, DevHubStore store) => HubRequest.GuardAsync(context, async () =>
    {
        var caller = await HubRequest.AuthenticateAsync(context, store, write: true);
        var key = HubRequest.IdempotencyKey(context);
        var report = await HubRequest.ReadBodyAsync(context, HubJsonContext.Default.ConsumptionReport, "agent_id");
        if (report.TokensInput < 0 || report.TokensOutput < 0)
        {
            throw new HubProblemException(400, report.TokensInput < 0 ? "tokens_input" : "tokens_output", "token counts must not be negative");
        }

        if (report.CostUsd < 0 || double.IsNaN(report.CostUsd) || double.IsInfinity(report.CostUsd))
        {
            throw new HubProblemException(400, "cost_usd", "cost_usd must be a non-negative number");
        }

        if (caller.Kind == CallerKind.User || (caller.Kind == CallerKind.Agent && caller.Name != report.AgentId))
        {
            throw new HubProblemException(403, "agent_id", $"this key cannot report consumption of agent '{report.AgentId}'");
        }

        var outcome = await store.WriteAsync(caller, "agent:" + report.AgentId, key, "POST /api/v1/system/consumption", (connection, transaction) =>
            HubRequest.Answer(200, store.RecordConsumption(connection, transaction, report), HubJsonContext.Default.HubAcknowledgement), context.RequestAborted);
        return HubRequest.Stored(context, outcome);
    });
}
