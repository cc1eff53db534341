using System.Security.Cryptography;
using System.Text;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.ServiceDefaults.Health;
using Botburrow.Agents.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every service shares: logging from the settings, Kestrel on <c>METRICS_BIND_ADDRESS</c>:<c>METRICS_PORT</c>, Prometheus
/// <c>/metrics</c>, and the <c>/health/live</c> and <c>/health/ready</c> probes (always mapped: Kubernetes needs them).
/// </summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Health checks tagged with this are part of <c>/health/ready</c>.</summary>
    public const string ReadyTag = "ready";

    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, BotburrowSettings settings, int defaultPort, string? logFormat = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        builder.Logging.AddBotburrowLogging(settings, logFormat);
        var port = settings.MetricsPort ?? defaultPort;
        // Loopback unless METRICS_BIND_ADDRESS says otherwise: the manifests set 0.0.0.0 for probes and Prometheus.
        var address = settings.MetricsBindAddress;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(address, port));
        builder.Services.AddHealthChecks().AddCheck<WorkQueueHealthCheck>("work_store", tags: [ReadyTag]);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddBotburrowTracing(settings, "botburrow");
        return builder;
    }

    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapMetrics("/metrics");
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteHealthAsync,
        });
        return app;
    }

    /// <summary>
    /// <c>POST /api/v1/cache/invalidate[?agent=ID]</c>: drops cached agent definitions. Requires
    /// <c>Authorization: Bearer ADMIN_TOKEN</c>; refused (403) when no <c>ADMIN_TOKEN</c> is configured.
    /// </summary>
    public static WebApplication MapCacheInvalidation(this WebApplication app, string? adminToken, Action<string?> invalidate)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(invalidate);
        app.MapPost("/api/v1/cache/invalidate", (HttpContext context, string? agent) =>
        {
            if (!IsAdmin(context, adminToken, out var problem))
            {
                return problem;
            }

            invalidate(string.IsNullOrWhiteSpace(agent) ? null : agent);
            return Results.Json(new { status = "ok", invalidated = string.IsNullOrWhiteSpace(agent) ? "all" : agent });
        });
        return app;
    }

    /// <summary>True when the request carries <c>Bearer ADMIN_TOKEN</c>; otherwise the refusal to return.</summary>
    public static bool IsAdmin(HttpContext context, string? adminToken, out IResult refusal)
    {
        ArgumentNullException.ThrowIfNull(context);
        refusal = Results.Empty;
        if (string.IsNullOrEmpty(adminToken))
        {
            refusal = Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "ADMIN_TOKEN is not configured", detail: "Set ADMIN_TOKEN to enable mutating endpoints.");
            return false;
        }

        var header = context.Request.Headers.Authorization.ToString();
        var given = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(adminToken)))
        {
            refusal = Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "ADMIN_TOKEN required", detail: "Send Authorization: Bearer <ADMIN_TOKEN>.");
            return false;
        }

        return true;
    }

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var entries = report.Entries.ToDictionary(
            e => e.Key,
            e => new { status = e.Value.Status.ToString(), description = e.Value.Description, data = e.Value.Data.Count == 0 ? null : e.Value.Data });
        return context.Response.WriteAsJsonAsync(new { status = report.Status.ToString(), checks = entries });
    }
}
