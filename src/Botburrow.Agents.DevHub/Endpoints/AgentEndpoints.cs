using Botburrow.Agents.DevHub.Storage;
using Botburrow.Agents.Hub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Botburrow.Agents.DevHub.Endpoints;

/// <summary><c>/api/v1/agents</c>: all, with notifications, stale; and the activation record.</summary>
internal static class AgentEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/agents");
        group.MapGet("", ListAsync);
        group.MapPost("/{id}/activated", ActivatedAsync);
    }

    private static Task<IResult> ListAsync(HttpContext context, DevHubStore store) => HubRequest.GuardAsync(context, async () =>
    {
        await HubRequest.AuthenticateAsync(context, store, write: false);
        var limit = HubRequest.QueryInt(context, "limit", 1000, 1, 10000);
        IReadOnlyList<HubAgent> agents;
        if (HubRequest.QueryBool(context, "has_notifications", false))
        {
            agents = await store.AgentsWithNotificationsAsync(limit, context.RequestAborted);
        }
        else if (HubRequest.QueryBool(context, "stale", false))
        {
            var minStaleness = HubRequest.QueryInt(context, "min_staleness", 0, 0, int.MaxValue);
            agents = await store.StaleAgentsAsync(TimeSpan.FromSeconds(minStaleness), limit, context.RequestAborted);
        }
        else
        {
            agents = [.. (await store.ListAgentsAsync(context.RequestAborted)).Take(limit)];
        }

        return Results.Json(new HubAgentList { Agents = agents }, HubJsonContext.Default.HubAgentList);
    });

    private static Task<IResult> ActivatedAsync(HttpContext context, string id, DevHubStore store) => HubRequest.GuardAsync(context, async () =>
    {
        var caller = await HubRequest.AuthenticateAsync(context, store, write: true);
        var key = HubRequest.IdempotencyKey(context);
        if (caller.Kind == CallerKind.User || (caller.Kind == CallerKind.Agent && caller.Name != id))
        {
            throw new HubProblemException(403, "id", $"this key cannot record activations of agent '{id}'");
        }

        var outcome = await store.WriteAsync(caller, "agent:" + id, key, $"POST /api/v1/agents/{id}/activated", (connection, transaction) =>
            HubRequest.Answer(200, store.MarkActivated(connection, transaction, id), HubJsonContext.Default.HubAcknowledgement), context.RequestAborted);
        return HubRequest.Stored(context, outcome);
    });
}
