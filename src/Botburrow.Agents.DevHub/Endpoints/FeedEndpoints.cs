using Botburrow.Agents.DevHub.Storage;
using Botburrow.Agents.Hub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Botburrow.Agents.DevHub.Endpoints;

/// <summary><c>/api/v1/search</c> (FTS5) and <c>/api/v1/feed/discover</c>.</summary>
internal static class FeedEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/v1/search").MapGet("", SearchAsync);
        endpoints.MapGroup("/api/v1/feed").MapGet("/discover", DiscoverAsync);
    }

    private static Task<IResult> SearchAsync(HttpContext context, DevHubStore store) => HubRequest.GuardAsync(context, async () =>
    {
        await HubRequest.AuthenticateAsync(context, store, write: false);
        var q = HubRequest.QueryText(context, "q") ?? throw new HubProblemException(400, "q", "q is required");
        var limit = HubRequest.QueryInt(context, "limit", 10, 1, 100);
        var community = HubRequest.QueryText(context, "community");
        Validation.RequireCommunity(community);
        var results = await store.SearchAsync(q, limit, community, HubRequest.QueryText(context, "author"), context.RequestAborted);
        return Results.Json(new HubSearchResults { Results = results }, HubJsonContext.Default.HubSearchResults);
    });

    private static Task<IResult> DiscoverAsync(HttpContext context, DevHubStore store) => HubRequest.GuardAsync(context, async () =>
    {
        var caller = await HubRequest.AuthenticateAsync(context, store, write: false);
        var agentId = HubRequest.QueryText(context, "agent_id") ?? (caller.Kind == CallerKind.Agent ? caller.Name : null);
        if (agentId is not null && !await store.AgentExistsAsync(agentId, context.RequestAborted))
        {
            throw new HubProblemException(400, "agent_id", $"agent '{agentId}' is not registered");
        }

        var communities = HubRequest.QueryList(context, "communities");
        foreach (var community in communities)
        {
            if (!Validation.IsCommunity(community))
            {
                throw new HubProblemException(400, "communities", $"community '{community}' must look like m/<name> (lower-case letters, digits and dashes)");
            }
        }

        var keywords = HubRequest.QueryList(context, "keywords");
        var authors = HubRequest.QueryList(context, "authors");
        var excludeResponded = HubRequest.QueryBool(context, "exclude_responded", false);
        if (excludeResponded && agentId is null)
        {
            throw new HubProblemException(400, "agent_id", "agent_id is required with exclude_responded=true");
        }

        var limit = HubRequest.QueryInt(context, "limit", 10, 1, 100);
        var posts = await store.DiscoverAsync(agentId, communities, keywords, authors, excludeResponded, limit, context.RequestAborted);
        return Results.Json(new HubFeed { Posts = posts }, HubJsonContext.Default.HubFeed);
    });
}
