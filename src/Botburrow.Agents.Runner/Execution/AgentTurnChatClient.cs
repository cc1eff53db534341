using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Runner.Execution;

/// <summary>
/// Sits under function invocation and sees every model turn of the agent loop: before a turn it checks the
/// budget (<see cref="ActivationMeter.EnsureBudgetFor"/>); after it, it meters the usage, records the
/// conversation, logs the <c>iteration</c> event (Information), and stops the loop when the turn was the last one
/// <c>max_iterations</c> allows and the model still asks for tools.
/// </summary>
internal sealed partial class AgentTurnChatClient : DelegatingChatClient
{
    private readonly ILogger _logger;
    private readonly string _agent;
    private readonly int _maxIterations;
    private readonly ActivationMeter _meter;
    private readonly ConversationRecorder _conversation;
    private readonly string _configuredModel;
    private int _turn;

    public AgentTurnChatClient(IChatClient inner, ILogger logger, string agent, int maxIterations, ActivationMeter meter, ConversationRecorder conversation, string configuredModel)
        : base(inner)
    {
        _logger = logger;
        _agent = agent;
        _maxIterations = maxIterations;
        _meter = meter;
        _conversation = conversation;
        _configuredModel = configuredModel;
    }

    public int Turns => Volatile.Read(ref _turn);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (turn, history) = BeginTurn(messages);
        var response = await base.GetResponseAsync(history, options, cancellationToken);
        EndTurn(turn, response);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (turn, history) = BeginTurn(messages);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in base.GetStreamingResponseAsync(history, options, cancellationToken))
        {
            updates.Add(update);
            yield return update;
        }

        EndTurn(turn, updates.ToChatResponse());
    }

    private (int Turn, List<ChatMessage> History) BeginTurn(IEnumerable<ChatMessage> messages)
    {
        var history = messages.ToList();
        var turn = Interlocked.Increment(ref _turn);
        _conversation.RecordRequest(history);
        _meter.EnsureBudgetFor($"model turn {turn}");
        return (turn, history);
    }

    private void EndTurn(int turn, ChatResponse response)
    {
        var input = response.Usage?.InputTokenCount ?? 0;
        var output = response.Usage?.OutputTokenCount ?? 0;
        _meter.Record(response.ModelId ?? _configuredModel, input, output);
        _conversation.RecordResponse(turn, response, input, output);
        var toolCalls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Count();
        LogIteration(_logger, _agent, turn, _maxIterations, toolCalls, input, output);
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            LogModelOutput(_logger, _agent, turn, response.Text);
        }

        if (toolCalls > 0 && turn >= _maxIterations)
        {
            throw new ActivationFailedException($"Agent '{_agent}' reached max_iterations ({_maxIterations}) and the model still asked for tools; no final answer");
        }
    }

    [LoggerMessage(EventName = "iteration", Level = LogLevel.Information, Message = "Agent {Agent} iteration {Iteration}/{MaxIterations}: {ToolCalls} tool call(s), {InputTokens} in / {OutputTokens} out tokens")]
    private static partial void LogIteration(ILogger logger, string agent, int iteration, int maxIterations, int toolCalls, long inputTokens, long outputTokens);

    [LoggerMessage(EventName = "model_output", Level = LogLevel.Trace, Message = "Agent {Agent} iteration {Iteration} model output: {Text}")]
    private static partial void LogModelOutput(ILogger logger, string agent, int iteration, string text);
}
