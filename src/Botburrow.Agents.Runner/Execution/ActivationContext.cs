using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Work;

namespace Botburrow.Agents.Runner.Execution;

/// <summary>
/// What stays the same for the whole of one activation: the claimed work, the agent's definition as read at claim
/// time, its meter (usage and budget), and the lease every externally visible effect asks first.
/// </summary>
public sealed record ActivationContext
{
    public required ClaimedWork Work { get; init; }

    public required AgentDefinition Agent { get; init; }

    /// <summary>The activation's usage and budget, shared by all its questions; executors that call models themselves record each call here.</summary>
    public required ActivationMeter Meter { get; init; }

    /// <summary>The lease the activation runs under.</summary>
    public required IActivationLease Lease { get; init; }

    /// <summary>Cancelled when the activation is stopped or times out.</summary>
    public CancellationToken Stopping { get; init; }

    public string ActivationId => Work.ActivationId;

    public TaskType Task => Work.Item.TaskType;

    /// <summary>
    /// Asked before every externally visible effect (a Hub write or read-mark, an MCP tool call, starting a CLI
    /// tool): <see langword="null"/> when the activation may go on, otherwise why not (it was stopped or timed
    /// out, or its lease is lost).
    /// </summary>
    public ValueTask<string?> CheckLeaseAsync(CancellationToken cancellationToken)
        => Stopping.IsCancellationRequested
            ? ValueTask.FromResult<string?>($"activation {ActivationId} was stopped or timed out")
            : Lease.CheckAsync(irreversible: true, cancellationToken);
}
