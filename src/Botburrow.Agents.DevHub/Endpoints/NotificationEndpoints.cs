using System.Globalization;
using Botburrow.Agents.DevHub.Storage;
using Botburrow.Agents.Hub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.DevHub.Endpoints;

/// <summary><c>/api/v1/notifications</c>: list, long-poll, mark read.</summary>
internal static class NotificationEndpoints
{
    /// <summary>The most notification ids one mark-read request may carry (SQLite binds each as a variable).</summary>
    public const int MaxMarkReadIds = 1000;

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/api/v1/notifications");
        group.MapGet("", ListAsync);
        group.MapGet("/poll", PollAsync);
        group.MapPost("/read", MarkReadAsync);
    }

    private static Task<IResult> ListAsync(HttpContext context, DevHubStore store) => HubRequest.GuardAsync(context, async () =>
    {
        // Notifications carry direct messages: only the agent's own key (or the admin key) reads them.
        var caller = await HubRequest.AuthenticateAsync(context, store, write: false);
        switch (caller.Kind)
        {
            case CallerKind.Anonymous:
                throw new HubProblemException(401, "Authorization", "notifications need the agent's key or the admin key (Authorization: Bearer <key>)");
            case CallerKind.User:
                throw new HubProblemException(403, "Authorization", "a person key cannot read agents' notifications");
        }

        var agentId = HubRequest.QueryText(context, "agent_id");
        if (caller.Kind == CallerKind.Agent)
        {
            agentId ??= caller.Name;
            if (agentId != caller.Name)
            {
                throw new HubProblemException(403, "agent_id", $"this key belongs to agent '{caller.Name}', not '{agentId}'");
            }
        }

        if (agentId is not null && !await store.AgentExistsAsync(agentId, context.RequestAborted))
        {
            throw new HubProblemException(400, "agent_id", $"agent '{agentId}' is not registered");
        }

        var unread = HubRequest.QueryBool(context, "unread", false);
        var limit = HubRequest.QueryInt(context, "limit", 100, 1, 1000);
        var notifications = await store.ListNotificationsAsync(agentId, unread, limit, context.RequestAborted);
        return Results.Json(new HubNotificationList { Notifications = notifications }, HubJsonContext.Default.HubNotificationList);
    });

    /// <summary>
    /// Answers at once when agents have unread notifications; otherwise waits for the next notification
    /// (an in-process signal) or the timeout, then answers <c>{"agents":[]}</c>.
    /// </summary>
    private static Task<IResult> PollAsync(HttpContext context, DevHubStore store, NotificationSignal signal, ILoggerFactory loggers, IHostApplicationLifetime lifetime) => HubRequest.GuardAsync(context, async () =>
    {
        // A waiting long-poll ends (with no agents) when the Hub stops, so that stopping never waits for it.
        using var waitEnds = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        await HubRequest.AuthenticateAsync(context, store, write: false);
        var maxTimeout = (int)store.Options.MaxPollTimeout.TotalSeconds;
        var timeout = TimeSpan.FromSeconds(HubRequest.QueryInt(context, "timeout", 30, 0, maxTimeout));
        var batchSize = HubRequest.QueryInt(context, "batch_size", 100, 1, 1000);
        var time = store.TimeProvider;
        var started = time.GetTimestamp();
        var logger = loggers.CreateLogger("Botburrow.Agents.DevHub.Poll");
        while (true)
        {
            var next = signal.NextAsync();
            var agents = await store.AgentsWithNotificationsAsync(batchSize, context.RequestAborted);
            var remaining = timeout - time.GetElapsedTime(started);
            if (agents.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return Results.Json(new HubAgentList { Agents = agents }, HubJsonContext.Default.HubAgentList);
            }

            var remainingMs = (long)remaining.TotalMilliseconds;
            DevHubLog.PollWaiting(logger, remainingMs);
            try
            {
                await next.WaitAsync(remaining, time, waitEnds.Token);
            }
            catch (TimeoutException)
            {
                // One more look, then the empty answer.
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return Results.Empty;
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                return Results.Json(new HubAgentList { Agents = [] }, HubJsonContext.Default.HubAgentList);
            }
        }
    });

    private static Task<IResult> MarkReadAsync(HttpContext context, DevHubStore store) => HubRequest.GuardAsync(context, async () =>
    {
        var caller = await HubRequest.AuthenticateAsync(context, store, write: true);
        var key = HubRequest.IdempotencyKey(context);
        var request = await HubRequest.ReadBodyAsync(context, HubJsonContext.Default.MarkReadRequest, "notification_ids");
        if (request.NotificationIds.Count > MaxMarkReadIds)
        {
            throw new HubProblemException(400, "notification_ids", $"notification_ids holds {request.NotificationIds.Count} ids; at most {MaxMarkReadIds} per request");
        }

        var ids = new List<long>();
        foreach (var id in request.NotificationIds)
        {
            if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            {
                throw new HubProblemException(400, "notification_ids", $"notification id '{id}' is not a notification id");
            }

            ids.Add(value);
        }

        var agentFilter = caller.Kind switch
        {
            CallerKind.Agent => caller.Name,
            CallerKind.Admin => null,
            _ => throw new HubProblemException(403, "Authorization", "only the admin key or an agent key can mark notifications read"),
        };
        var outcome = await store.WriteAsync(caller, caller.Holder, key, "POST /api/v1/notifications/read", (connection, transaction) =>
            HubRequest.Answer(200, new MarkReadResult { Marked = store.MarkRead(connection, transaction, ids, agentFilter) }, HubJsonContext.Default.MarkReadResult), context.RequestAborted);
        return HubRequest.Stored(context, outcome);
    });
}
