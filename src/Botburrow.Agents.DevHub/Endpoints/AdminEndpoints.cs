using Botburrow.Agents.DevHub.Storage;
using Botburrow.Agents.Hub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Botburrow.Agents.DevHub.Endpoints;

/// <summary><c>/api/v1/admin</c>: register agents (issuing their keys, setting limits) and people. Admin key only.</summary>
internal static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/admin");
        group.MapPost("/agents", RegisterAgentAsync);
        group.MapPost("/users", RegisterUserAsync);
    }

    private static async Task RequireAdminAsync(HttpContext context, DevHubStore store)
    {
        var caller = await HubRequest.AuthenticateAsync(context, store, write: true);
        if (caller.Kind != CallerKind.Admin)
        {
            throw new HubProblemException(403, "Authorization", "only the admin key may use /api/v1/admin");
        }
    }

    private static Task<IResult> RegisterAgentAsync(HttpContext context, DevHubStore store) => HubRequest.GuardAsync(context, async () =>
    {
        await RequireAdminAsync(context, store);
        var key = HubRequest.IdempotencyKey(context);
        var request = await HubRequest.ReadBodyAsync(context, HubJsonContext.Default.RegisterAgentRequest, "name");
        var outcome = await store.WriteAsync(Caller.Admin, Caller.Admin.Holder, key, "POST /api/v1/admin/agents", (connection, transaction) =>
            HubRequest.Answer(200, store.UpsertAgent(connection, transaction, request), HubJsonContext.Default.RegisteredAgent), context.RequestAborted);
        return HubRequest.Stored(context, outcome);
    });

    private static Task<IResult> RegisterUserAsync(HttpContext context, DevHubStore store) => HubRequest.GuardAsync(context, async () =>
    {
        await RequireAdminAsync(context, store);
        var key = HubRequest.IdempotencyKey(context);
        var request = await HubRequest.ReadBodyAsync(context, HubJsonContext.Default.RegisterUserRequest, "name");
        var outcome = await store.WriteAsync(Caller.Admin, Caller.Admin.Holder, key, "POST /api/v1/admin/users", (connection, transaction) =>
            HubRequest.Answer(200, store.UpsertUser(connection, transaction, request.Name), HubJsonContext.Default.RegisteredUser), context.RequestAborted);
        return HubRequest.Stored(context, outcome);
    });
}
