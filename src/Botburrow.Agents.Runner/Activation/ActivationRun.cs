using Botburrow.Agents.Grants;
using Botburrow.Agents.Runner.Execution;

namespace Botburrow.Agents.Runner.Activation;

/// <summary>
/// One running activation: its fixed <see cref="ActivationContext"/>, the chosen executor, the executor's session
/// (opened on the first question, not before: a run with nothing to answer starts no server), and the tally.
/// </summary>
internal sealed class ActivationRun : IAsyncDisposable
{
    private readonly IAgentExecutor _executor;
    private readonly Lazy<EffectiveGrants> _grants;
    private IExecutorSession? _session;

    public ActivationRun(ActivationContext context, IAgentExecutor executor, Func<EffectiveGrants> grants, DateTimeOffset startedAt)
    {
        Context = context;
        _executor = executor;
        _grants = new Lazy<EffectiveGrants>(grants);
        StartedAt = startedAt;
    }

    public ActivationContext Context { get; }

    public Definitions.Model.AgentDefinition Agent => Context.Agent;

    public ActivationMeter Meter => Context.Meter;

    public DateTimeOffset StartedAt { get; }

    public ActivationTally Tally { get; } = new();

    /// <summary>The agent's effective grants, evaluated on first use.</summary>
    public EffectiveGrants Grants => _grants.Value;

    /// <summary>Throws <see cref="LeaseLostException"/> when the lease refuses an effect of this activation.</summary>
    public async Task EnsureLeaseAsync(CancellationToken cancellationToken)
    {
        if (await Context.CheckLeaseAsync(cancellationToken) is { } refused)
        {
            throw new LeaseLostException(refused);
        }
    }

    /// <summary>
    /// Asks the agent <paramref name="question"/>. The session is opened first, so the system prompt is built from
    /// the tools the agent is actually given and lists exactly those.
    /// </summary>
    public async Task<AgentAnswer> AskAsync(AgentQuestion question, CancellationToken cancellationToken)
    {
        _session ??= await _executor.OpenAsync(Context, cancellationToken);
        var conversation = new ConversationRecorder(question.Subject);
        Tally.Conversations.Add(conversation);
        AgentAnswer answer;
        try
        {
            Meter.EnsureBudgetFor(question.Subject);
            answer = await _session.AskAsync(question, conversation, cancellationToken);
        }
        catch (Exception ex)
        {
            conversation.Result = ex is BudgetExhaustedException ? "stopped: " + ex.Message : "failed: " + ex.Message;
            throw;
        }

        if (!answer.Metered)
        {
            Meter.Record(answer.Model, answer.InputTokens, answer.OutputTokens, answer.CostUsd);
        }

        conversation.Result = answer.IsSkip ? "skipped" : "answered";
        return answer;
    }

    /// <summary>Replaces the transcript result of the last conversation (what the runner made of its answer).</summary>
    public void NoteLastConversationResult(string result)
    {
        if (Tally.Conversations.Count > 0)
        {
            Tally.Conversations[^1].Result = result;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is { } session)
        {
            _session = null;
            await session.DisposeAsync();
        }
    }
}
