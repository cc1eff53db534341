using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Runner.Execution;

/// <summary>Logs an <c>iteration</c> debug event for every model turn of the agent loop.</summary>
internal sealed partial class IterationLoggingChatClient : DelegatingChatClient
{
    private readonly ILogger _logger;
    private readonly string _agent;
    private int _iteration;

    public IterationLoggingChatClient(IChatClient inner, ILogger logger, string agent)
        : base(inner)
    {
        _logger = logger;
        _agent = agent;
    }

    public int Iterations => _iteration;

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var iteration = Interlocked.Increment(ref _iteration);
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        var toolCalls = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Count();
        LogIteration(_logger, _agent, iteration, toolCalls, response.Usage?.InputTokenCount ?? 0, response.Usage?.OutputTokenCount ?? 0);
        return response;
    }

    [LoggerMessage(EventName = "iteration", Level = LogLevel.Debug, Message = "Agent {Agent} turn {Iteration}: {ToolCalls} tool call(s), {InputTokens} in / {OutputTokens} out tokens")]
    private static partial void LogIteration(ILogger logger, string agent, int iteration, int toolCalls, long inputTokens, long outputTokens);
}
