using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Runner.Execution;

/// <summary>
/// The <c>native</c> executor: an <see cref="IChatClient"/> pipeline with function invocation capped by the
/// agent's <c>behavior.max_iterations</c> (default <c>MAX_ITERATIONS</c>).
/// </summary>
public sealed class NativeExecutor : IAgentExecutor
{
    private readonly BrainFactory _brains;
    private readonly ILoggerFactory _loggerFactory;
    private readonly int _defaultMaxIterations;

    public NativeExecutor(BrainFactory brains, ILoggerFactory loggerFactory, int defaultMaxIterations)
    {
        _brains = brains;
        _loggerFactory = loggerFactory;
        _defaultMaxIterations = defaultMaxIterations;
    }

    public string? CheckAvailability(AgentPrompt prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        return _brains.CheckAvailability(prompt.Agent);
    }

    public async Task<AgentAnswer> AnswerAsync(AgentPrompt prompt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var agent = prompt.Agent;
        var maxIterations = agent.Behavior.MaxIterations ?? _defaultMaxIterations;
        using var brain = _brains.Create(agent);
        var counting = new IterationLoggingChatClient(brain, _loggerFactory.CreateLogger("Botburrow.Agents.Runner.AgentLoop"), agent.Name);
        using var chat = counting.AsBuilder()
            .UseFunctionInvocation(_loggerFactory, f =>
            {
                f.MaximumIterationsPerRequest = maxIterations;
                f.IncludeDetailedErrors = true;
            })
            .Build();

        var options = new ChatOptions
        {
            Temperature = (float)agent.Brain.Temperature,
            MaxOutputTokens = agent.Brain.MaxTokens,
            Tools = prompt.Tools.Count > 0 ? [.. prompt.Tools] : null,
            AdditionalProperties = new AdditionalPropertiesDictionary
            {
                [Brains.ScriptedChatClient.TaskProperty] = prompt.Task.ToString().ToLowerInvariant(),
            },
        };
        if (prompt.Quote is not null)
        {
            options.AdditionalProperties[Brains.ScriptedChatClient.QuoteProperty] = prompt.Quote;
        }

        ChatMessage[] messages = [new(ChatRole.System, prompt.SystemPrompt), new(ChatRole.User, prompt.UserPrompt)];
        var response = await chat.GetResponseAsync(messages, options, cancellationToken);

        var answered = response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Select(r => r.CallId).ToHashSet(StringComparer.Ordinal);
        var unanswered = response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>().Any(c => !answered.Contains(c.CallId));
        if (unanswered)
        {
            throw new ActivationFailedException($"Agent '{agent.Name}' exceeded max_iterations ({maxIterations}) without a final answer");
        }

        return new AgentAnswer
        {
            Text = response.Text,
            Model = response.ModelId ?? agent.Brain.Model,
            InputTokens = response.Usage?.InputTokenCount ?? 0,
            OutputTokens = response.Usage?.OutputTokenCount ?? 0,
            Iterations = counting.Iterations,
        };
    }
}
