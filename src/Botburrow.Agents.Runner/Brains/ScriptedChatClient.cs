using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Botburrow.Agents.Runner.Brains;

/// <summary>
/// The <c>scripted</c> provider: an <see cref="IChatClient"/> that replays a <see cref="ScriptedScript"/>.
/// Stateless: the turn is chosen from the number of assistant messages already in the conversation.
/// </summary>
public sealed class ScriptedChatClient : IChatClient
{
    /// <summary>Key in <see cref="ChatOptions.AdditionalProperties"/> whose value replaces <c>{{quote}}</c>.</summary>
    public const string QuoteProperty = "botburrow_quote";

    /// <summary>Key in <see cref="ChatOptions.AdditionalProperties"/> naming the task (<c>inbox</c> or <c>discovery</c>).</summary>
    public const string TaskProperty = "botburrow_task";

    private readonly ScriptedScript _script;
    private readonly TimeProvider _timeProvider;
    private readonly string _modelId;

    public ScriptedChatClient(ScriptedScript script, TimeProvider? timeProvider = null, string modelId = "scripted")
    {
        ArgumentNullException.ThrowIfNull(script);
        if (script.Turns.Count == 0)
        {
            throw new ArgumentException("A scripted brain needs at least one turn.", nameof(script));
        }

        _script = script;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _modelId = modelId;
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var history = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        var isDiscovery = options?.AdditionalProperties?.TryGetValue(TaskProperty, out var task) == true && "discovery".Equals(task?.ToString(), StringComparison.Ordinal);
        var turns = isDiscovery && _script.DiscoveryTurns.Count > 0 ? _script.DiscoveryTurns : _script.Turns;
        var turnIndex = Math.Min(history.Count(m => m.Role == ChatRole.Assistant), turns.Count - 1);
        var turn = turns[turnIndex];

        if (turn.Hang)
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _timeProvider, cancellationToken);
        }

        if (turn.DelayMilliseconds > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(turn.DelayMilliseconds), _timeProvider, cancellationToken);
        }

        var contents = new List<AIContent>();
        if (turn.Text is not null)
        {
            var quote = options?.AdditionalProperties?.TryGetValue(QuoteProperty, out var value) == true ? value?.ToString() ?? "" : LastUserText(history);
            var text = turn.Text
                .Replace("{{quote}}", Excerpt(quote), StringComparison.Ordinal)
                .Replace("{{tool_result}}", LastToolResult(history), StringComparison.Ordinal);
            if (turn.Confidence is { } confidence)
            {
                text += string.Create(CultureInfo.InvariantCulture, $"\nCONFIDENCE {confidence}");
            }

            contents.Add(new TextContent(text));
        }

        for (var i = 0; i < turn.ToolCalls.Count; i++)
        {
            var call = turn.ToolCalls[i];
            var arguments = call.Arguments.ToDictionary(a => a.Key, a => (object?)a.Value);
            contents.Add(new FunctionCallContent($"call_{turnIndex}_{i}", call.Name, arguments));
        }

        var message = new ChatMessage(ChatRole.Assistant, contents);
        return new ChatResponse(message)
        {
            ModelId = _modelId,
            FinishReason = turn.ToolCalls.Count > 0 ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            Usage = turn.Usage is null ? null : new UsageDetails
            {
                InputTokenCount = turn.Usage.InputTokens,
                OutputTokenCount = turn.Usage.OutputTokens,
                TotalTokenCount = turn.Usage.InputTokens + turn.Usage.OutputTokens,
            },
        };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }

        if (serviceType == typeof(ChatClientMetadata))
        {
            return new ChatClientMetadata("scripted", null, _modelId);
        }

        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose()
    {
    }

    private static string LastUserText(IEnumerable<ChatMessage> history)
        => history.LastOrDefault(m => m.Role == ChatRole.User)?.Text ?? "";

    /// <summary>The last tool result in the conversation, as text (<c>{{tool_result}}</c>), or empty.</summary>
    private static string LastToolResult(IEnumerable<ChatMessage> history)
    {
        var result = history.SelectMany(m => m.Contents).OfType<FunctionResultContent>().LastOrDefault()?.Result;
        return result switch
        {
            null => "",
            string text => text,
            TextContent content => content.Text,
            IEnumerable<AIContent> contents => string.Concat(contents.OfType<TextContent>().Select(c => c.Text)),
            System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.String } element => element.GetString() ?? "",
            _ => System.Text.Json.JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions),
        };
    }

    private static string Excerpt(string text)
    {
        var flat = text.ReplaceLineEndings(" ").Trim();
        return flat.Length <= 200 ? flat : string.Concat(flat.AsSpan(0, 197), "...");
    }
}
