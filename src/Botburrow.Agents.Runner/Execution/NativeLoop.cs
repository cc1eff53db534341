using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Runner.Execution;

/// <summary>
/// The model loop of the <c>native</c> executor: an <see cref="IChatClient"/> pipeline over the agent's provider.
/// From the outside in: function invocation (tool errors go back to the model), OpenTelemetry GenAI spans
/// (<c>chat</c>, <c>execute_tool</c>), the turn guard (budget before each turn; usage, transcript, the
/// <c>iteration</c> event and the <c>behavior.max_iterations</c> cap after it), provider error translation, the
/// provider SDK. It calls the tools it is given; opening and closing them is the executor's.
/// </summary>
public sealed class NativeLoop
{
    /// <summary>The Hub's post tool (in-process, or namespaced <c>hub__hub_post</c> through MCP).</summary>
    private const string HubPostTool = "hub_post";

    private readonly BrainFactory _brains;
    private readonly ILoggerFactory _loggerFactory;
    private readonly NativeExecutorOptions _options;

    public NativeLoop(BrainFactory brains, ILoggerFactory loggerFactory, NativeExecutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(brains);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        ArgumentNullException.ThrowIfNull(options);
        _brains = brains;
        _loggerFactory = loggerFactory;
        _options = options;
    }

    /// <summary>Why the agent's brain cannot be built (a missing key), or <see langword="null"/>.</summary>
    public string? CheckAvailability(Definitions.Model.AgentDefinition agent) => _brains.CheckAvailability(agent);

    /// <summary>Asks the model <paramref name="question"/> under <paramref name="systemPrompt"/> with <paramref name="tools"/> until it answers without calling a tool.</summary>
    public async Task<AgentAnswer> AnswerAsync(ActivationContext context, string systemPrompt, IReadOnlyList<AITool> tools, AgentQuestion question, ConversationRecorder conversation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(tools);
        ArgumentNullException.ThrowIfNull(question);
        var agent = context.Agent;
        var maxIterations = agent.Behavior.MaxIterations ?? _options.DefaultMaxIterations;
        var meter = context.Meter;
        var (inputBefore, outputBefore) = (meter.InputTokens, meter.OutputTokens);
        using var brain = _brains.Create(agent);
        var turns = new AgentTurnChatClient(brain, _loggerFactory.CreateLogger("Botburrow.Agents.Runner.AgentLoop"), agent.Name, maxIterations, meter, conversation, agent.Brain.Model);
        using var chat = turns.AsBuilder()
            .UseFunctionInvocation(_loggerFactory, f =>
            {
                // The turn guard stops the loop at max_iterations; function invocation must not end it first with
                // a tool-less extra call (which Anthropic refuses once the history holds tool_use blocks).
                f.MaximumIterationsPerRequest = maxIterations + 1;
                f.MaximumConsecutiveErrorsPerRequest = maxIterations;
                f.IncludeDetailedErrors = true;
            })
            .UseOpenTelemetry(sourceName: RunnerTelemetry.SourceName)
            .Build();

        var options = new ChatOptions
        {
            ModelId = agent.Brain.Model,
            Temperature = (float)agent.Brain.Temperature,
            MaxOutputTokens = agent.Brain.MaxTokens,
            Tools = tools.Count > 0 ? [.. tools] : null,
            AdditionalProperties = new AdditionalPropertiesDictionary
            {
                [Brains.ScriptedChatClient.TaskProperty] = context.Task.ToString().ToLowerInvariant(),
            },
        };
        if (question.About is not null)
        {
            options.AdditionalProperties[Brains.ScriptedChatClient.QuoteProperty] = question.About;
        }

        ChatMessage[] messages = [new(ChatRole.System, systemPrompt), new(ChatRole.User, question.Text)];
        var response = _options.Streaming
            ? await chat.GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken)
            : await chat.GetResponseAsync(messages, options, cancellationToken);

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        var answered = contents.OfType<FunctionResultContent>().Select(r => r.CallId).ToHashSet(StringComparer.Ordinal);
        if (contents.OfType<FunctionCallContent>().Any(c => !answered.Contains(c.CallId)))
        {
            throw new ActivationFailedException($"Agent '{agent.Name}' exceeded max_iterations ({maxIterations}) without a final answer");
        }

        return new AgentAnswer
        {
            Text = response.Text,
            Model = meter.Model ?? response.ModelId ?? agent.Brain.Model,
            InputTokens = meter.InputTokens - inputBefore,
            OutputTokens = meter.OutputTokens - outputBefore,
            Iterations = turns.Turns,
            Metered = true,
            PublishedThroughTool = contents.OfType<FunctionCallContent>()
                .Any(c => c.Name == HubPostTool || c.Name.EndsWith("__" + HubPostTool, StringComparison.Ordinal)),
        };
    }
}
