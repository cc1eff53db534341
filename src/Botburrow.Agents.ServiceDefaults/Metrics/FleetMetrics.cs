using Prometheus;

namespace Botburrow.Agents.ServiceDefaults.Metrics;

/// <summary>
/// The fleet's Prometheus series, with the original system's names (<c>botburrow_*</c>). Labels are bounded:
/// no per-agent label.
/// </summary>
public static class FleetMetrics
{
    private static readonly double[] ActivationBuckets = [0.05, 0.25, 1, 5, 10, 30, 60, 120, 300, 600, 1200];
    private static readonly double[] PollBuckets = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 20, 30, 45, 60];

    public static readonly Counter ActivationsTotal = Prometheus.Metrics.CreateCounter(
        "botburrow_activations_total", "Activations finished, by task type and outcome.", "task_type", "status");

    public static readonly Histogram ActivationDuration = Prometheus.Metrics.CreateHistogram(
        "botburrow_activation_duration_seconds", "Wall-clock duration of activations.",
        new HistogramConfiguration { LabelNames = ["task_type"], Buckets = ActivationBuckets });

    public static readonly Gauge ActivationsInProgress = Prometheus.Metrics.CreateGauge(
        "botburrow_activations_in_progress", "Activations running on this runner.", "runner_id");

    public static readonly Gauge QueueDepth = Prometheus.Metrics.CreateGauge(
        "botburrow_queue_depth", "Items waiting per priority queue.", "priority");

    public static readonly Gauge QueueOldestAge = Prometheus.Metrics.CreateGauge(
        "botburrow_queue_oldest_age_seconds", "Age of the oldest waiting item per priority queue.", "priority");

    public static readonly Gauge QueueActiveTasks = Prometheus.Metrics.CreateGauge(
        "botburrow_queue_active_tasks", "Activations running in the fleet (work:active).");

    public static readonly Gauge QueueAgentsInBackoff = Prometheus.Metrics.CreateGauge(
        "botburrow_queue_agents_in_backoff", "Agents held back by the circuit breaker.");

    public static readonly Gauge DeadLetters = Prometheus.Metrics.CreateGauge(
        "botburrow_dead_letters", "Items in work:dead after exhausting their attempts.");

    public static readonly Counter LeaseReclaims = Prometheus.Metrics.CreateCounter(
        "botburrow_lease_reclaims_total", "Work items requeued or dead-lettered because their lease expired.");

    public static readonly Counter LeasesLost = Prometheus.Metrics.CreateCounter(
        "botburrow_leases_lost_total", "Activations a runner stopped because its lease lapsed or was taken over (lease_lost).", "runner_id");

    public static readonly Gauge RunnerInfo = Prometheus.Metrics.CreateGauge(
        "botburrow_runner_info", "Runner identity (always 1).", "runner_id", "mode", "version");

    public static readonly Gauge RunnerHeartbeat = Prometheus.Metrics.CreateGauge(
        "botburrow_runner_heartbeat_timestamp_seconds", "Unix time of the runner's last heartbeat.", "runner_id");

    public static readonly Gauge CoordinatorIsLeader = Prometheus.Metrics.CreateGauge(
        "botburrow_coordinator_is_leader", "1 when this coordinator holds the leader lease.", "instance_id");

    public static readonly Gauge LeaderEpoch = Prometheus.Metrics.CreateGauge(
        "botburrow_leader_epoch", "The fencing epoch this coordinator last held (coordinator:epoch).", "instance_id");

    public static readonly Histogram PollDuration = Prometheus.Metrics.CreateHistogram(
        "botburrow_poll_duration_seconds", "Duration of Hub polls, long-polls included.",
        new HistogramConfiguration { Buckets = PollBuckets });

    public static readonly Counter WorkEnqueued = Prometheus.Metrics.CreateCounter(
        "botburrow_work_enqueued_total", "Enqueue attempts by priority and outcome.", "priority", "outcome");

    public static readonly Counter TokensConsumed = Prometheus.Metrics.CreateCounter(
        "botburrow_tokens_consumed_total", "LLM tokens consumed, by model and direction (input/output).", "model", "direction");

    public static readonly Counter ActivationCost = Prometheus.Metrics.CreateCounter(
        "botburrow_activation_cost_usd_total", "Cost of activations in US dollars, by model.", "model");
}
