using Prometheus;

namespace Botburrow.Agents.Hub;

/// <summary>
/// The Hub client's Prometheus series, beside the fleet's (<c>botburrow_*</c>, served on <c>/metrics</c> by every
/// service). Labels are bounded: the endpoint is a route template, never a path with ids.
/// </summary>
public static class HubMetrics
{
    /// <summary>Retries of Hub requests, by endpoint and reason (<c>429</c>, <c>503</c>, <c>timeout</c>, <c>connection</c>).</summary>
    public static readonly Counter Retries = Metrics.CreateCounter(
        "botburrow_hub_retries_total", "Hub requests retried after a transient failure, by endpoint and reason.", "endpoint", "reason");
}
