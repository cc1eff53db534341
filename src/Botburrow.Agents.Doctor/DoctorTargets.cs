using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Sources;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Work;

namespace Botburrow.Agents.Doctor;

/// <summary>What the doctor examines. Absent parts are reported as not checked (or as the reason they are absent).</summary>
public sealed record DoctorTargets
{
    /// <summary>The work store, when Redis could be reached.</summary>
    public IWorkQueue? Queue { get; init; }

    public ILeaderElection? Election { get; init; }

    /// <summary>Why the work store could not be reached (e.g. <c>Redis at redis://… is unreachable</c>).</summary>
    public string? WorkStoreError { get; init; }

    /// <summary>Measures one Redis round trip.</summary>
    public Func<CancellationToken, Task<TimeSpan>>? PingWorkStore { get; init; }

    /// <summary>The Hub client for <c>HUB_URL</c> and <c>HUB_API_KEY</c>, when <c>HUB_URL</c> is set.</summary>
    public IHubClient? Hub { get; init; }

    public IAgentDefinitionSource? Definitions { get; init; }

    /// <summary>Why no executor can run the agent (the guide's <c>Executor 'x' not available</c>), or null.</summary>
    public Func<AgentDefinition, string?> ExecutorProbe { get; init; } = _ => null;

    /// <summary>Why the agent's brain cannot be built (a missing LLM key), or null.</summary>
    public Func<AgentDefinition, string?> BrainProbe { get; init; } = _ => null;

    /// <summary>The key (and where it is sent) the agent's brain would use, or null when it uses none.</summary>
    public Func<AgentDefinition, LlmKey?> LlmKey { get; init; } = _ => null;

    /// <summary>Asks providers whether keys are accepted; null when doctor runs <c>--offline</c> (keys are then only checked to be set).</summary>
    public LlmKeyVerifier? LlmKeys { get; init; }

    /// <summary>A coordinator's HTTP address (<c>--coordinator</c>), whose <c>/health/ready</c> tells the age of the leader's last poll; null: not checked.</summary>
    public Uri? Coordinator { get; init; }

    /// <summary>The client that reads <see cref="Coordinator"/>; required with it.</summary>
    public HttpClient? Http { get; init; }
}
