using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Botburrow.Agents.Testing;

/// <summary>
/// An in-memory model: answers request <c>n</c> (from 0) with <c>script(n)</c>, the same <see cref="FakeTurn"/>s the
/// <see cref="FakeModelServer"/> serves over HTTP, and records every request. For tests that are not about the wire.
/// </summary>
public sealed class FakeChatClient(Func<int, FakeTurn> script) : IChatClient
{
    private int _calls;

    /// <summary>Every request: the messages and the options (tools, model) as the model got them.</summary>
    public ConcurrentQueue<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Requests { get; } = new();

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        Requests.Enqueue(([.. messages], options));
        var turn = script(Interlocked.Increment(ref _calls) - 1);
        var contents = new List<AIContent>();
        if (turn.Text is not null)
        {
            contents.Add(new TextContent(turn.Text));
        }

        foreach (var (id, name, arguments) in turn.ToolCalls)
        {
            contents.Add(new FunctionCallContent(id, name, JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments)));
        }

        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            ModelId = turn.Model ?? options?.ModelId ?? "fake-model",
            FinishReason = turn.ToolCalls.Count > 0 ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = turn.InputTokens, OutputTokenCount = turn.OutputTokens, TotalTokenCount = turn.InputTokens + turn.OutputTokens },
        });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    /// <summary>Nothing to release; the same client answers every conversation of a test.</summary>
    public void Dispose()
    {
    }
}
