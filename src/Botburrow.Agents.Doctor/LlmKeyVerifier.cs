using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Botburrow.Agents.Configuration;

namespace Botburrow.Agents.Doctor;

/// <summary>
/// Asks a model provider whether it accepts a key, with the cheapest authenticated call it has: <c>GET /v1/models</c>
/// (Anthropic, with <c>x-api-key</c>) or <c>GET {api_base}/models</c> (OpenAI-compatible, with a bearer key). One call
/// per provider, address and key; the verdict is kept for <see cref="CacheFor"/>, so a fleet of agents sharing a key
/// costs one call and running doctor again soon after costs none.
/// </summary>
public sealed class LlmKeyVerifier
{
    public static readonly Uri AnthropicDefault = new("https://api.anthropic.com");
    public static readonly Uri OpenAIDefault = new("https://api.openai.com/v1");

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (LlmKeyVerdict Verdict, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public LlmKeyVerifier(HttpClient http, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _http = http;
        _time = timeProvider;
    }

    /// <summary>How long a verdict is reused.</summary>
    public TimeSpan CacheFor { get; init; } = TimeSpan.FromMinutes(5);

    public async Task<LlmKeyVerdict> VerifyAsync(LlmKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (string.IsNullOrEmpty(key.Key))
        {
            return new LlmKeyVerdict(LlmKeyState.Unknown, $"{key.KeyVariable} is not set");
        }

        var url = ModelsUrl(key);
        var cacheKey = $"{key.Provider}\n{url}\n{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key.Key)))}";
        var now = _time.GetUtcNow();
        if (_cache.TryGetValue(cacheKey, out var cached) && cached.Until > now)
        {
            return cached.Verdict;
        }

        var verdict = await AskAsync(key, url, cancellationToken);
        _cache[cacheKey] = (verdict, now + CacheFor);
        return verdict;
    }

    private static Uri ModelsUrl(LlmKey key)
    {
        if (key.Provider == "anthropic")
        {
            // The base may be given with or without /v1, as the runner accepts it.
            var root = (key.BaseUrl ?? AnthropicDefault.AbsoluteUri).TrimEnd('/');
            root = root.EndsWith("/v1", StringComparison.Ordinal) ? root[..^3] : root;
            return new Uri(root + "/v1/models?limit=1");
        }

        return new Uri((key.BaseUrl ?? OpenAIDefault.AbsoluteUri).TrimEnd('/') + "/models");
    }

    private async Task<LlmKeyVerdict> AskAsync(LlmKey key, Uri url, CancellationToken cancellationToken)
    {
        var call = $"GET {SecretMasker.MaskUrl(url.GetLeftPart(UriPartial.Path))}";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (key.Provider == "anthropic")
        {
            request.Headers.Add("x-api-key", key.Key);
            request.Headers.Add("anthropic-version", "2023-06-01");
        }
        else
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.Key);
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var status = $"{(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
            if (response.IsSuccessStatusCode)
            {
                return new LlmKeyVerdict(LlmKeyState.Accepted, $"{key.KeyVariable} accepted by {key.Provider} ({call} answered {status})");
            }

            var detail = ErrorMessage(await response.Content.ReadAsStringAsync(cancellationToken));
            var said = detail is null ? "" : $": {detail}";
            return response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                ? new LlmKeyVerdict(LlmKeyState.Rejected, $"{key.KeyVariable} is set but {key.Provider} rejects it: {call} answered {status}{said}")
                : new LlmKeyVerdict(LlmKeyState.Unknown, $"{key.KeyVariable} is set; {key.Provider} could not confirm it: {call} answered {status}{said}");
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return new LlmKeyVerdict(LlmKeyState.Unreachable, $"{key.KeyVariable} is set, but {key.Provider} did not answer {call}: {ex.Message}");
        }
    }

    /// <summary>The provider's error message (<c>{"error":{"message":…}}</c>), shortened; null when the body has none.</summary>
    private static string? ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var message)
                && message.GetString() is { Length: > 0 } text)
            {
                return text.Length > 200 ? text[..200] + "…" : text;
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}
