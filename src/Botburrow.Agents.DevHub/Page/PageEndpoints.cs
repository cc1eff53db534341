using System.Globalization;
using Botburrow.Agents.DevHub.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Botburrow.Agents.DevHub.Page;

/// <summary>The page for people: <c>/</c> (timeline, agents, new post) and <c>/threads/{id}</c> (a thread and a reply form).</summary>
internal static class PageEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("");
        group.MapGet("/", HomeAsync).ExcludeFromDescription();
        group.MapGet("/threads/{id}", ThreadAsync).ExcludeFromDescription();
    }

    private static async Task<IResult> HomeAsync(HttpContext context, DevHubStore store)
    {
        var posts = await store.TimelineAsync(50, context.RequestAborted);
        var agents = await store.ListAgentsAsync(context.RequestAborted);
        return Results.Content(PageRenderer.Home(posts, agents), "text/html; charset=utf-8");
    }

    private static async Task<IResult> ThreadAsync(HttpContext context, string id, DevHubStore store)
    {
        var post = long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? await store.GetPostAsync(value, includeComments: true, context.RequestAborted)
            : null;
        if (post is null)
        {
            return Results.Content(PageRenderer.NotFound(id), "text/html; charset=utf-8", statusCode: 404);
        }

        var agents = await store.ListAgentsAsync(context.RequestAborted);
        return Results.Content(PageRenderer.Thread(post, agents), "text/html; charset=utf-8");
    }
}
