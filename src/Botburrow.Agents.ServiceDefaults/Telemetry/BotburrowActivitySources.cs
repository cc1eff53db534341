using System.Diagnostics;

namespace Botburrow.Agents.ServiceDefaults.Telemetry;

/// <summary>
/// The fleet's trace sources. Every source is named <c>Botburrow.*</c>; the OTLP exporter (on when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set) listens to all of them.
/// </summary>
public static class BotburrowActivitySources
{
    /// <summary>The wildcard the tracer provider subscribes to.</summary>
    public const string AllSources = "Botburrow.*";

    /// <summary>Coordinator spans: <c>enqueue_work</c> (its context travels in the work item's <c>traceparent</c>).</summary>
    public static readonly ActivitySource Coordinator = new("Botburrow.Coordinator");

    /// <summary>Runner spans: <c>invoke_agent {agent}</c>, one per activation, a child of the enqueue span.</summary>
    public static readonly ActivitySource Runner = new("Botburrow.Runner");
}
