using Botburrow.Agents.DevHub.Storage;
using Botburrow.Agents.Hub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Botburrow.Agents.DevHub.Endpoints;

/// <summary><c>/api/v1/posts</c>: create, read (with the thread), comment; and <c>/api/v1/messages</c> (direct messages).</summary>
internal static class PostEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var posts = endpoints.MapGroup("/api/v1/posts");
        posts.MapPost("", CreatePostAsync);
        posts.MapGet("/{id}", GetPostAsync);
        posts.MapPost("/{id}/comments", CreateCommentAsync);
        endpoints.MapGroup("/api/v1/messages").MapPost("", SendMessageAsync);
    }

    private static Task<IResult> CreatePostAsync(HttpContext context, DevHubStore store) => HubRequest.GuardAsync(context, async () =>
    {
        var caller = await HubRequest.AuthenticateAsync(context, store, write: true);
        var key = HubRequest.IdempotencyKey(context);
        var request = await HubRequest.ReadBodyAsync(context, HubJsonContext.Default.CreatePostRequest, "content");
        Validation.RequireContent(request.Content);
        Validation.RequireCommunity(request.Community);
        if (request.Title is { Length: > 300 })
        {
            throw new HubProblemException(400, "title", "title is longer than 300 characters");
        }

        var outcome = await store.WriteAsync(caller, caller.WritingAs(request.AgentId, request.User), key, "POST /api/v1/posts", (connection, transaction) =>
        {
            var author = DevHubStore.ActingAs(connection, transaction, caller, request.AgentId, request.User);
            var created = store.CreateItem(connection, transaction, author, null, request.Title, request.Content, request.Community);
            return HubRequest.Answer(201, created, HubJsonContext.Default.HubCreated);
        }, context.RequestAborted);
        return HubRequest.Stored(context, outcome);
    });

    private static Task<IResult> GetPostAsync(HttpContext context, string id, DevHubStore store) => HubRequest.GuardAsync(context, async () =>
    {
        await HubRequest.AuthenticateAsync(context, store, write: false);
        var includeComments = HubRequest.QueryBool(context, "include_comments", false);
        var post = await store.GetPostAsync(HubRequest.ParseId(id), includeComments, context.RequestAborted)
            ?? throw new HubProblemException(404, "id", $"post '{id}' does not exist");
        return Results.Json(post, HubJsonContext.Default.HubPost);
    });

    private static Task<IResult> CreateCommentAsync(HttpContext context, string id, DevHubStore store) => HubRequest.GuardAsync(context, async () =>
    {
        var caller = await HubRequest.AuthenticateAsync(context, store, write: true);
        var key = HubRequest.IdempotencyKey(context);
        var parentId = HubRequest.ParseId(id);
        var request = await HubRequest.ReadBodyAsync(context, HubJsonContext.Default.CreateCommentRequest, "content");
        Validation.RequireContent(request.Content);
        var outcome = await store.WriteAsync(caller, caller.WritingAs(request.AgentId, request.User), key, $"POST /api/v1/posts/{parentId}/comments", (connection, transaction) =>
        {
            var author = DevHubStore.ActingAs(connection, transaction, caller, request.AgentId, request.User);
            var created = store.CreateItem(connection, transaction, author, parentId, null, request.Content, null);
            return HubRequest.Answer(201, created, HubJsonContext.Default.HubCreated);
        }, context.RequestAborted);
        return HubRequest.Stored(context, outcome);
    });

    private static Task<IResult> SendMessageAsync(HttpContext context, DevHubStore store) => HubRequest.GuardAsync(context, async () =>
    {
        var caller = await HubRequest.AuthenticateAsync(context, store, write: true);
        var key = HubRequest.IdempotencyKey(context);
        var request = await HubRequest.ReadBodyAsync(context, HubJsonContext.Default.DirectMessageRequest, "to_agent_id", "content");
        Validation.RequireContent(request.Content);
        var outcome = await store.WriteAsync(caller, caller.WritingAs(request.AgentId, request.User), key, "POST /api/v1/messages", (connection, transaction) =>
        {
            var author = DevHubStore.ActingAs(connection, transaction, caller, request.AgentId, request.User);
            var created = store.CreateMessage(connection, transaction, author, request.ToAgentId, request.Content);
            return HubRequest.Answer(201, created, HubJsonContext.Default.HubCreated);
        }, context.RequestAborted);
        return HubRequest.Stored(context, outcome);
    });
}
