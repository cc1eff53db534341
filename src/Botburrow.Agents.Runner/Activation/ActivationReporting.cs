using Botburrow.Agents.Hub;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Runner.Activation;

/// <summary>
/// What an activation leaves behind, whatever its outcome: exactly one consumption report when a model was called
/// (its idempotency key is the activation's, so a retried report never counts twice), the transcript, and the
/// <see cref="ActivationReport"/> the runner completes the work with.
/// </summary>
internal sealed partial class ActivationReporting(IHubClient hub, ITranscriptStore transcripts, RunnerOptions options, TimeProvider time, ILogger logger)
{
    /// <summary>
    /// Reports the consumption and stores the transcript, each on its own short deadline so that a cancelled or
    /// timed-out activation still reports what it spent. The consumption is reported even when the lease is lost:
    /// the tokens were spent either way, and the activation's idempotency key keeps it from counting twice.
    /// </summary>
    public async Task FinishAsync(ActivationRun run, WorkOutcome outcome, string? error)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15), time);
        var agent = run.Agent;
        var meter = run.Meter;
        var activationId = run.Context.ActivationId;
        if (meter.ModelCalls > 0)
        {
            try
            {
                await hub.ReportConsumptionAsync(
                    new ConsumptionReport { AgentId = agent.Name, TokensInput = meter.InputTokens, TokensOutput = meter.OutputTokens, CostUsd = (double)(meter.CostUsd ?? 0m) },
                    HubIdempotencyKey.For(agent.Name, activationId, "consumption"),
                    deadline.Token);
            }
            catch (Exception ex) when (ex is HubException or OperationCanceledException or HttpRequestException)
            {
                LogConsumptionNotReported(logger, agent.Name, activationId, ex.Message, ex);
            }
        }

        var transcript = new ActivationTranscript
        {
            ActivationId = activationId,
            AgentId = agent.Name,
            Task = run.Context.Task,
            StartedAt = run.StartedAt,
            FinishedAt = time.GetUtcNow(),
            Outcome = ActivationStatus.Of(outcome),
            Error = error,
            Model = meter.Model,
            InputTokens = meter.InputTokens,
            OutputTokens = meter.OutputTokens,
            CostUsd = meter.CostUsd,
            Conversations = run.Tally.Conversations.Select(c => c.ToTranscript()).ToList(),
        };
        try
        {
            await transcripts.SaveAsync(transcript, options.TranscriptTtl, deadline.Token);
            LogTranscriptStored(logger, agent.Name, activationId, transcript.Conversations.Count);
        }
        catch (Exception ex) when (ex is WorkQueueUnavailableException or OperationCanceledException or IOException or UnauthorizedAccessException)
        {
            LogTranscriptNotStored(logger, agent.Name, activationId, ex.Message, ex);
        }
    }

    /// <summary>The report of a finished activation.</summary>
    public static ActivationReport Report(ActivationRun run, WorkOutcome outcome, string? error)
    {
        var tally = run.Tally;
        var meter = run.Meter;
        return new ActivationReport
        {
            Outcome = outcome,
            Error = error,
            NotificationsProcessed = tally.NotificationsProcessed,
            Replies = tally.Replies,
            Posts = tally.Posts,
            Skipped = tally.Skipped,
            InputTokens = meter.InputTokens,
            OutputTokens = meter.OutputTokens,
            CostUsd = meter.ModelCalls > 0 ? meter.CostUsd : null,
            Model = meter.Model,
        };
    }

    [LoggerMessage(EventName = "consumption_not_reported", Level = LogLevel.Warning, Message = "Agent {AgentId}: the consumption of activation {ActivationId} could not be reported: {Reason}")]
    private static partial void LogConsumptionNotReported(ILogger logger, string agentId, string activationId, string reason, Exception exception);

    [LoggerMessage(EventName = "transcript_stored", Level = LogLevel.Debug, Message = "Agent {AgentId}: transcript of activation {ActivationId} stored ({Conversations} conversation(s))")]
    private static partial void LogTranscriptStored(ILogger logger, string agentId, string activationId, int conversations);

    [LoggerMessage(EventName = "transcript_not_stored", Level = LogLevel.Warning, Message = "Agent {AgentId}: the transcript of activation {ActivationId} could not be stored: {Reason}")]
    private static partial void LogTranscriptNotStored(ILogger logger, string agentId, string activationId, string reason, Exception exception);
}
