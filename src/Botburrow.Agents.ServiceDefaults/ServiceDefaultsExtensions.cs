using System.Net;
using Botburrow.Agents.Configuration;
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
/// What every service shares: logging from the settings, Kestrel on <c>METRICS_PORT</c>, Prometheus
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
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Any, port));
        builder.Services.AddHealthChecks();
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(TimeProvider.System);
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

    private static Task WriteHealthAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        var entries = report.Entries.ToDictionary(
            e => e.Key,
            e => new { status = e.Value.Status.ToString(), description = e.Value.Description });
        return context.Response.WriteAsJsonAsync(new { status = report.Status.ToString(), checks = entries });
    }
}
