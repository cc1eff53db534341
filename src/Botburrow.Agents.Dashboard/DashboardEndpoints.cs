using Botburrow.Agents.Definitions.Sources;
using Botburrow.Agents.Work;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Dashboard;

/// <summary>
/// The fleet dashboard on the coordinator's port: <c>/</c> and <c>/dashboard</c> (HTML), <c>GET /api/v1/dashboard</c>
/// (JSON) and <c>/dashboard/transcripts/{id}</c>, which need <c>DASHBOARD_TOKEN</c> or <c>ADMIN_TOKEN</c> (a bearer
/// header, or the cookie that <c>/dashboard?token=…</c> sets), and the actions
/// <c>POST /api/v1/activations/{id}/stop</c>, <c>/api/v1/backoff/{agent}/clear</c> and
/// <c>/api/v1/dead/{id}/requeue</c>, which need <c>Authorization: Bearer ADMIN_TOKEN</c>.
/// </summary>
public static partial class DashboardEndpoints
{
    /// <summary>The query parameter that opens the dashboard in a browser: <c>/dashboard?token=…</c>.</summary>
    public const string TokenParameter = "token";

    public static WebApplication MapFleetDashboard(this WebApplication app, string? adminToken, string? dashboardToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        var data = new DashboardData(
            app.Services.GetRequiredService<IWorkQueue>(),
            app.Services.GetRequiredService<ILeaderElection>(),
            app.Services.GetService<TimeProvider>() ?? TimeProvider.System,
            app.Services.GetService<Botburrow.Agents.Memory.IAgentMemoryStore>() is { } memoryStore && app.Services.GetService<AgentDefinitionCache>() is { } definitions
                ? new DashboardMemorySizes(memoryStore, definitions)
                : null);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Botburrow.Dashboard");
        var access = new DashboardAccess(dashboardToken, adminToken);

        // Every read shows prompts or thread text: uncached, and refused without a token.
        IResult? Refused(HttpContext context)
        {
            context.Response.Headers.CacheControl = "no-store";
            context.Response.Headers["Referrer-Policy"] = "no-referrer";
            if (access.Allows(context))
            {
                return null;
            }

            LogRefused(logger, context.Request.Path);
            return access.Refusal(context);
        }

        async Task<IResult> PageAsync(HttpContext context, CancellationToken cancellationToken)
        {
            if (context.Request.Query.ContainsKey(TokenParameter))
            {
                // The token leaves the address bar at once: the browser keeps a cookie derived from it instead.
                context.Response.Headers["Referrer-Policy"] = "no-referrer";
                string? token = context.Request.Query[TokenParameter];
                if (!access.IsToken(token))
                {
                    LogRefused(logger, context.Request.Path);
                    return access.Refusal(context);
                }

                DashboardAccess.SetCookie(context, token!); // IsToken is false for null
                return Results.Redirect("/dashboard");
            }

            if (Refused(context) is { } refusal)
            {
                return refusal;
            }

            return await ReadAsync(data, cancellationToken) is { } snapshot
                ? Results.Content(DashboardPage.Render(snapshot), "text/html; charset=utf-8")
                : Unavailable();
        }

        app.MapGet("/", PageAsync);
        app.MapGet("/dashboard", PageAsync);
        app.MapGet("/api/v1/dashboard", async (HttpContext context, CancellationToken cancellationToken) =>
        {
            if (Refused(context) is { } refusal)
            {
                return refusal;
            }

            return await ReadAsync(data, cancellationToken) is { } snapshot ? Results.Json(snapshot) : Unavailable();
        });
        var transcripts = app.Services.GetService<ITranscriptStore>();
        app.MapGet("/dashboard/transcripts/{id}", async (HttpContext context, string id, CancellationToken cancellationToken) =>
        {
            if (Refused(context) is { } refusal)
            {
                return refusal;
            }

            return transcripts is not null && await transcripts.GetAsync(id, cancellationToken) is { } transcript
                ? Results.Content(DashboardPage.RenderTranscript(id, TranscriptText.Lines(transcript)), "text/html; charset=utf-8")
                : Results.Content(DashboardPage.RenderTranscript(id, null), "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        });

        var queue = app.Services.GetRequiredService<IWorkQueue>();
        app.MapPost("/api/v1/activations/{id}/stop", async (HttpContext context, string id, CancellationToken cancellationToken) =>
        {
            if (!ServiceDefaultsExtensions.IsAdmin(context, adminToken, out var refusal))
            {
                return refusal;
            }

            var stopped = await queue.StopActivationAsync(id, cancellationToken);
            LogAction(logger, "stop", id, stopped);
            return stopped
                ? Results.Json(new { status = "ok", stopped = id })
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such activation", detail: $"no running activation '{id}'");
        });
        app.MapPost("/api/v1/backoff/{agent}/clear", async (HttpContext context, string agent, CancellationToken cancellationToken) =>
        {
            if (!ServiceDefaultsExtensions.IsAdmin(context, adminToken, out var refusal))
            {
                return refusal;
            }

            var cleared = await queue.ClearBackoffAsync(agent, cancellationToken) > 0;
            LogAction(logger, "clear_backoff", agent, cleared);
            return cleared
                ? Results.Json(new { status = "ok", cleared = agent })
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not in backoff", detail: $"agent '{agent}' has no failures or backoff");
        });
        app.MapPost("/api/v1/dead/{id}/requeue", async (HttpContext context, string id, CancellationToken cancellationToken) =>
        {
            if (!ServiceDefaultsExtensions.IsAdmin(context, adminToken, out var refusal))
            {
                return refusal;
            }

            var requeued = await queue.RequeueDeadAsync(id, cancellationToken);
            LogAction(logger, "requeue_dead", id, requeued);
            return requeued
                ? Results.Json(new { status = "ok", requeued = id })
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such dead letter", detail: $"no dead letter '{id}'");
        });
        return app;

        async Task<DashboardSnapshot?> ReadAsync(DashboardData source, CancellationToken cancellationToken)
        {
            try
            {
                return await source.ReadAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is WorkQueueUnavailableException or TimeoutException)
            {
                LogUnavailable(logger, ex, ex.Message);
                return null;
            }
        }
    }

    private static IResult Unavailable()
        => Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "Work store unavailable", detail: "The dashboard cannot read Redis; see /health/ready.");

    [LoggerMessage(EventName = "dashboard_action", Level = LogLevel.Information, Message = "Dashboard action {Action} on {Target}: {Done}")]
    private static partial void LogAction(ILogger logger, string action, string target, bool done);

    [LoggerMessage(EventName = "dashboard_refused", Level = LogLevel.Debug, Message = "Dashboard read of {Path} refused: no valid DASHBOARD_TOKEN or ADMIN_TOKEN")]
    private static partial void LogRefused(ILogger logger, PathString path);

    [LoggerMessage(EventName = "dashboard_unavailable", Level = LogLevel.Warning, Message = "Dashboard cannot read the work store: {Error}")]
    private static partial void LogUnavailable(ILogger logger, Exception exception, string error);
}
