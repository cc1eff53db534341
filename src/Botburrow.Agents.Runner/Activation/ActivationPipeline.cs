using System.Diagnostics;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Sources;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Mcp;
using Botburrow.Agents.Runner.Consumption;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Runner.Activation;

/// <summary>
/// One activation of one agent for one work item: definition → budget → executor → INBOX
/// (<see cref="InboxAnswering"/>) or DISCOVERY (<see cref="DiscoveryAnswering"/>) → the consumption report and the
/// transcript (<see cref="ActivationReporting"/>) → <c>POST /agents/{id}/activated</c>.
/// Every Hub write carries an idempotency key derived from what it is for, so a redelivered item never posts twice,
/// and first asks the activation's lease: once the lease refuses, the activation publishes nothing more and ends
/// cancelled with <c>lease lost: &lt;reason&gt;</c>.
/// Everything the agent would publish (replies, discovery comments and posts, direct messages) needs
/// <c>hub:write</c>: without it the model is not asked, the notification is marked read, and the activation fails
/// with the troubleshooting guide's <c>Failed to post response: 403 Forbidden (agent X lacks hub:write)</c>.
/// </summary>
public sealed partial class ActivationPipeline
{
    private readonly IHubClient _hub;
    private readonly AgentDefinitionCache _definitions;
    private readonly ExecutorSelector _executors;
    private readonly ModelPriceTable _prices;
    private readonly TimeProvider _time;
    private readonly ILogger<ActivationPipeline> _logger;
    private readonly ActivationToolProvider _tools;
    private readonly InboxAnswering _inbox;
    private readonly DiscoveryAnswering _discovery;
    private readonly ActivationReporting _reporting;

    public ActivationPipeline(
        IHubClient hub,
        AgentDefinitionCache definitions,
        ExecutorSelector executors,
        ModelPriceTable prices,
        IAgentActivityStore activity,
        ITranscriptStore transcripts,
        TimeProvider timeProvider,
        RunnerOptions options,
        ILogger<ActivationPipeline> logger,
        ActivationToolProvider tools,
        Memory.AgentMemoryService memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(definitions);
        ArgumentNullException.ThrowIfNull(executors);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(transcripts);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(tools);
        _hub = hub;
        _definitions = definitions;
        _executors = executors;
        _prices = prices;
        _time = timeProvider;
        _logger = logger;
        _tools = tools;
        var gate = new PublishGate(activity, timeProvider, logger);
        _inbox = new InboxAnswering(hub, gate, memory, logger);
        _discovery = new DiscoveryAnswering(hub, gate, logger);
        _reporting = new ActivationReporting(hub, transcripts, options, timeProvider, logger);
    }

    public async Task<ActivationReport> RunAsync(ClaimedWork work, IActivationLease lease, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(lease);

        // The coordinator read the definition, the budget and the notifications when it enqueued this work; that copy
        // may be stale by the time a runner claims it (an edited definition, spending since, notifications answered
        // by an earlier activation). The runner reads them again here, at claim time, and its read is the one that counts.
        var agent = await _definitions.GetAsync(work.Item.AgentId, cancellationToken);
        var span = TagInvokeAgent(agent);

        var budget = await TryGetBudgetAsync(agent.Name, cancellationToken);
        if (budget is { Healthy: false })
        {
            var reason = budget.DailyLimit > 0 && budget.DailyUsed >= budget.DailyLimit ? "Daily budget exceeded"
                : budget.MonthlyLimit > 0 && budget.MonthlyUsed >= budget.MonthlyLimit ? "Monthly budget exceeded"
                : "Budget unhealthy";
            LogBudgetRefused(_logger, agent.Name, reason);
            span?.SetTag("botburrow.outcome", ActivationStatus.Of(WorkOutcome.RefusedByBudget));
            return new ActivationReport { Outcome = WorkOutcome.RefusedByBudget, Error = reason };
        }

        var (executor, unavailable) = _executors.For(agent);
        if (executor is null)
        {
            throw new ActivationFailedException(unavailable!);
        }

        var context = new ActivationContext
        {
            Work = work,
            Agent = agent,
            Meter = new ActivationMeter(_prices, Remaining(budget)),
            Lease = lease,
            Stopping = cancellationToken,
        };
        await using var run = new ActivationRun(context, executor, () => _tools.GrantsFor(agent), _time.GetUtcNow());
        var outcome = WorkOutcome.Failed;
        string? error = null;
        try
        {
            if (work.Item.TaskType == TaskType.Inbox)
            {
                await _inbox.RunAsync(run, cancellationToken);
            }
            else
            {
                await _discovery.RunAsync(run, cancellationToken);
            }

            // Answers the agent may not publish fail the activation (after their notifications were marked read, so
            // the same mention is not run again); the circuit breaker then backs the agent off.
            (outcome, error) = run.Tally.PublishRefused is { } refused ? (WorkOutcome.Failed, refused) : (WorkOutcome.Succeeded, null);
            if (outcome == WorkOutcome.Succeeded)
            {
                await run.EnsureLeaseAsync(cancellationToken);
            }
        }
        catch (LeaseLostException ex)
        {
            outcome = WorkOutcome.Cancelled;
            error = ex.Message;
            LogLeaseLost(_logger, agent.Name, work.ActivationId, ex.Reason);
        }
        catch (BudgetExhaustedException ex)
        {
            outcome = WorkOutcome.RefusedByBudget;
            error = ex.Message;
            LogBudgetExhausted(_logger, agent.Name, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            outcome = WorkOutcome.Cancelled;
            error = "cancelled or timed out";
            throw;
        }
        catch (Exception ex)
        {
            error = ex.Message;
            span?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
        finally
        {
            span?.SetTag("botburrow.outcome", ActivationStatus.Of(outcome));
            span?.SetTag("gen_ai.usage.input_tokens", context.Meter.InputTokens);
            span?.SetTag("gen_ai.usage.output_tokens", context.Meter.OutputTokens);
            await run.DisposeAsync();
            await _reporting.FinishAsync(run, outcome, error);
        }

        if (outcome == WorkOutcome.Succeeded)
        {
            await _hub.MarkActivatedAsync(agent.Name, HubIdempotencyKey.For(agent.Name, work.ActivationId, "activated"), cancellationToken);
        }

        return ActivationReporting.Report(run, outcome, error);
    }

    /// <summary>
    /// The activation's <c>invoke_agent</c> span (the runner's) with what only the definition tells: the agent's
    /// display name, provider and model. The pipeline starts no span of its own.
    /// </summary>
    private static Activity? TagInvokeAgent(AgentDefinition agent)
    {
        var span = RunnerTelemetry.CurrentInvokeAgent();
        span?.SetTag("gen_ai.agent.name", agent.DisplayName ?? agent.Name);
        span?.SetTag("gen_ai.provider.name", agent.Brain.Provider.ToString().ToLowerInvariant());
        span?.SetTag("gen_ai.request.model", agent.Brain.Model);
        return span;
    }

    /// <summary>USD left by the tightest of the daily and monthly limits (0 = no limit), or <see langword="null"/>.</summary>
    private static decimal? Remaining(BudgetHealth? budget)
    {
        if (budget is null)
        {
            return null;
        }

        decimal? remaining = null;
        foreach (var (limit, used) in new[] { (budget.DailyLimit, budget.DailyUsed), (budget.MonthlyLimit, budget.MonthlyUsed) })
        {
            if (limit > 0)
            {
                var left = (decimal)Math.Max(0, limit - used);
                remaining = remaining is { } r ? Math.Min(r, left) : left;
            }
        }

        return remaining;
    }

    private async Task<BudgetHealth?> TryGetBudgetAsync(string agent, CancellationToken cancellationToken)
    {
        try
        {
            return await _hub.GetBudgetHealthAsync(agent, cancellationToken);
        }
        catch (HubException ex)
        {
            LogBudgetUnknown(_logger, agent, ex.Message, ex);
            return null;
        }
    }

    [LoggerMessage(EventName = "budget_refused", Level = LogLevel.Warning, Message = "Agent {AgentId} not activated: {Reason}")]
    private static partial void LogBudgetRefused(ILogger logger, string agentId, string reason);

    [LoggerMessage(EventName = "budget_exhausted", Level = LogLevel.Warning, Message = "Agent {AgentId} stopped: {Reason}")]
    private static partial void LogBudgetExhausted(ILogger logger, string agentId, string reason);

    [LoggerMessage(EventName = "budget_unknown", Level = LogLevel.Warning, Message = "Budget of agent {AgentId} could not be checked, proceeding: {Reason}")]
    private static partial void LogBudgetUnknown(ILogger logger, string agentId, string reason, Exception exception);

    [LoggerMessage(EventName = "lease_lost", Level = LogLevel.Warning, Message = "Agent {AgentId}: activation {ActivationId} publishes nothing more, its lease is lost: {Reason}")]
    private static partial void LogLeaseLost(ILogger logger, string agentId, string activationId, string reason);
}
