using Botburrow.Agents.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Botburrow.Agents.ServiceDefaults.Telemetry;

/// <summary>OpenTelemetry tracing with the standard <c>OTEL_*</c> variables; off unless an OTLP endpoint is configured.</summary>
public static class TracingExtensions
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string TracesEndpointVariable = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public const string DisabledVariable = "OTEL_SDK_DISABLED";

    /// <summary>
    /// True when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (or <c>…_TRACES_ENDPOINT</c>) is set and <c>OTEL_SDK_DISABLED</c> is not
    /// <c>true</c>.
    /// </summary>
    public static bool IsEnabled(IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        string? Get(string name) => environment.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v : System.Environment.GetEnvironmentVariable(name);
        if (string.Equals(Get(DisabledVariable), "true", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return !string.IsNullOrWhiteSpace(Get(EndpointVariable)) || !string.IsNullOrWhiteSpace(Get(TracesEndpointVariable));
    }

    /// <summary>
    /// Adds a tracer provider over the <c>Botburrow.*</c> sources and outgoing HTTP, exporting with OTLP. The exporter
    /// reads the standard variables itself (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>_PROTOCOL</c>, <c>_HEADERS</c>,
    /// <c>OTEL_SERVICE_NAME</c>, <c>OTEL_RESOURCE_ATTRIBUTES</c>, <c>OTEL_TRACES_SAMPLER</c>, <c>OTEL_BSP_*</c>).
    /// </summary>
    public static IServiceCollection AddBotburrowTracing(this IServiceCollection services, BotburrowSettings settings, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(settings);
        if (!IsEnabled(settings.Environment))
        {
            return services;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME, when set, is read by the SDK's environment detector and wins.
                if (string.IsNullOrWhiteSpace(System.Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME")))
                {
                    resource.AddService(serviceName, serviceInstanceId: settings.RunnerId);
                }
            })
            .WithTracing(tracing => tracing
                .AddSource(BotburrowActivitySources.AllSources)
                .AddHttpClientInstrumentation()
                .AddOtlpExporter());
        return services;
    }
}
