using Botburrow.Agents.Work;

namespace Botburrow.Agents.Redis;

/// <summary>
/// Every Redis key and channel of the work system. The unprefixed names are the ones the troubleshooting guide
/// uses (<c>work:queue:high</c>, <c>work:backoff</c>, <c>activation:{id}</c> …); a prefix isolates tests or
/// environments sharing one server. See <c>docs/redis-keys.md</c>.
/// </summary>
public sealed class RedisKeys
{
    public RedisKeys(string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(prefix);
        Prefix = prefix;
    }

    public string Prefix { get; }

    /// <summary><c>work:queue:high|normal|low</c>: lists of WorkItem JSON; LPUSH to enqueue, claim from the right.</summary>
    public string Queue(WorkPriority priority) => Prefix + "work:queue:" + PriorityName(priority);

    /// <summary><c>work:queued</c>: hash agent → the queued item's JSON (the dedup index).</summary>
    public string Queued => Prefix + "work:queued";

    /// <summary><c>work:active</c>: hash agent → activation id.</summary>
    public string Active => Prefix + "work:active";

    /// <summary><c>activation:{id}</c>: hash with TTL; deleting it cancels the run.</summary>
    public string Activation(string activationId) => Prefix + "activation:" + activationId;

    /// <summary><c>work:leases</c>: zset activation id → lease expiry (epoch ms).</summary>
    public string Leases => Prefix + "work:leases";

    /// <summary><c>work:followups</c>: hash agent → the pending follow-up item's JSON.</summary>
    public string FollowUps => Prefix + "work:followups";

    /// <summary><c>work:failures</c>: hash agent → consecutive failures.</summary>
    public string Failures => Prefix + "work:failures";

    /// <summary><c>work:backoff</c>: hash agent → backoff end (epoch seconds).</summary>
    public string Backoff => Prefix + "work:backoff";

    /// <summary><c>work:dead</c>: list of dead letters (newest first).</summary>
    public string Dead => Prefix + "work:dead";

    /// <summary><c>work:recent</c>: capped list of finished activations (newest first), for the dashboard.</summary>
    public string Recent => Prefix + "work:recent";

    /// <summary><c>work:hybrid:claims</c>: counter of hybrid claims (drives low's guaranteed share).</summary>
    public string HybridClaims => Prefix + "work:hybrid:claims";

    /// <summary><c>coordinator:leader</c>: the leader's instance id, with a PX TTL.</summary>
    public string Leader => Prefix + "coordinator:leader";

    /// <summary><c>coordinator:epoch</c>: the fencing counter, incremented on every acquisition.</summary>
    public string Epoch => Prefix + "coordinator:epoch";

    /// <summary><c>coordinator:leader:info</c>: hash instance, epoch, since (ms) of the latest acquisition.</summary>
    public string LeaderInfo => Prefix + "coordinator:leader:info";

    /// <summary><c>runner:heartbeat:{id}</c>: hash with TTL.</summary>
    public string RunnerHeartbeat(string runnerId) => Prefix + "runner:heartbeat:" + runnerId;

    /// <summary><c>work:wakeup</c>: pub/sub channel; a message means "work may be waiting in the named queue".</summary>
    public string WakeupChannel => Prefix + "work:wakeup";

    /// <summary><c>work:completed</c>: pub/sub channel; the message is the agent whose activation completed.</summary>
    public string CompletedChannel => Prefix + "work:completed";

    /// <summary><c>agent:limits:{agent}:{yyyy-mm-dd}</c>: hash <c>posts</c>, <c>comments</c> (the UTC day's publications), TTL 2 days.</summary>
    public string AgentDay(string agentId, DateOnly day) => Prefix + "agent:limits:" + agentId + ":" + day.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary><c>agent:limits:{agent}:thread:{thread}</c>: counter of the agent's responses in one thread, TTL 30 days.</summary>
    public string AgentThread(string agentId, string threadId) => Prefix + "agent:limits:" + agentId + ":thread:" + threadId;

    /// <summary><c>agent:limits:{agent}:last</c>: epoch ms of the agent's latest publication, TTL 1 day.</summary>
    public string AgentLast(string agentId) => Prefix + "agent:limits:" + agentId + ":last";

    /// <summary><c>transcript:{activation_id}</c>: the activation's transcript as JSON, TTL 7 days by default.</summary>
    public string Transcript(string activationId) => Prefix + "transcript:" + activationId;

    public static string PriorityName(WorkPriority priority) => priority switch
    {
        WorkPriority.High => "high",
        WorkPriority.Normal => "normal",
        WorkPriority.Low => "low",
        _ => throw new ArgumentOutOfRangeException(nameof(priority), priority, "unknown priority"),
    };
}
