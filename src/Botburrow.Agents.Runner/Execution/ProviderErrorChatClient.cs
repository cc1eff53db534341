using System.ClientModel;
using System.Net;
using System.Runtime.CompilerServices;
using Anthropic.Exceptions;
using Microsoft.Extensions.AI;

namespace Botburrow.Agents.Runner.Execution;

/// <summary>
/// Turns a provider's errors (after the SDK's own retries of 429 and 5xx) into one line an operator can act on:
/// a 401 is <c>ANTHROPIC_API_KEY rejected (401)</c> (or the OpenAI key variable's name), anything else names
/// the provider, the status and the model. The activation then fails.
/// </summary>
internal sealed class ProviderErrorChatClient : DelegatingChatClient
{
    private readonly string _provider;
    private readonly string _keyVariable;
    private readonly string _model;

    public ProviderErrorChatClient(IChatClient inner, string provider, string keyVariable, string model)
        : base(inner)
    {
        _provider = provider;
        _keyVariable = keyVariable;
        _model = model;
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken);
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IAsyncEnumerator<ChatResponseUpdate> updates;
        try
        {
            updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
        {
            throw translated;
        }

        await using (updates)
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await updates.MoveNextAsync();
                }
                catch (Exception ex) when (Translate(ex, cancellationToken) is { } translated)
                {
                    throw translated;
                }

                if (!more)
                {
                    yield break;
                }

                yield return updates.Current;
            }
        }
    }

    private ActivationFailedException? Translate(Exception ex, CancellationToken cancellationToken)
    {
        if (ex is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        if (ex is ActivationFailedException or BudgetExhaustedException)
        {
            return null;
        }

        var status = ex switch
        {
            AnthropicApiException api => (int)api.StatusCode,
            ClientResultException result => result.Status,
            HttpRequestException http when http.StatusCode is { } code => (int)code,
            _ => 0,
        };
        var message = status switch
        {
            (int)HttpStatusCode.Unauthorized => $"{_keyVariable} rejected (401)",
            (int)HttpStatusCode.Forbidden => $"{_keyVariable} is not allowed to use model '{_model}' (403)",
            (int)HttpStatusCode.NotFound => $"{_provider}: model '{_model}' or its endpoint was not found (404)",
            (int)HttpStatusCode.TooManyRequests => $"{_provider}: still rate limited (429) after retries",
            >= 500 => $"{_provider}: server error {status} after retries",
            > 0 => $"{_provider}: request refused ({status}): {Short(ex.Message)}",
            _ when ex is HttpRequestException or TimeoutException or IOException or AnthropicIOException => $"{_provider}: API unreachable: {Short(ex.Message)}",
            _ when ex is OperationCanceledException => $"{_provider}: request timed out",
            _ => null,
        };
        return message is null ? null : new ActivationFailedException(message, ex);
    }

    private static string Short(string message)
    {
        var line = message.ReplaceLineEndings(" ").Trim();
        return line.Length <= 300 ? line : string.Concat(line.AsSpan(0, 297), "...");
    }
}
