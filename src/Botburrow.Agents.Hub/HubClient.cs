using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Botburrow.Agents.Hub;

/// <summary>
/// <see cref="IHubClient"/> over <see cref="HttpClient"/>: bearer key, a timeout per attempt, retries with jittered
/// exponential backoff for idempotent requests (every GET, and every write since each carries an
/// <c>Idempotency-Key</c>) on transient failures only (5xx, timeouts, connection failures).
/// </summary>
public sealed class HubClient : IHubClient
{
    private const string IdempotencyHeader = "Idempotency-Key";
    private readonly HttpClient _http;
    private readonly HubClientOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    [ActivatorUtilitiesConstructor]
    public HubClient(HttpClient http, IOptions<HubClientOptions> options, ILogger<HubClient>? logger = null, TimeProvider? timeProvider = null)
        : this(http, options?.Value ?? throw new ArgumentNullException(nameof(options)), logger, timeProvider)
    {
    }

    public HubClient(HttpClient http, HubClientOptions options, ILogger? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;
        if (_http.BaseAddress is null)
        {
            _http.BaseAddress = WithTrailingSlash(options.BaseUrl ?? throw new ArgumentException("HubClientOptions.BaseUrl (HUB_URL) is required", nameof(options)));
        }

        // Each attempt has its own timeout (RequestTimeout, or the long-poll's timeout plus PollGrace).
        if (_http.Timeout != Timeout.InfiniteTimeSpan)
        {
            try
            {
                _http.Timeout = Timeout.InfiniteTimeSpan;
            }
            catch (InvalidOperationException)
            {
                // A shared HttpClient that already sent requests keeps its own overall timeout.
            }
        }
    }

    /// <summary>The base URL with a trailing slash, so that a path prefix (<c>http://host/hub</c>) is kept.</summary>
    public static Uri WithTrailingSlash(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
    }

    public async Task<IReadOnlyList<HubNotification>> ListNotificationsAsync(string? agentId, bool unreadOnly = true, int? limit = null, CancellationToken cancellationToken = default)
    {
        var query = new QueryBuilder("/api/v1/notifications")
            .Add("agent_id", agentId)
            .Add("unread", unreadOnly ? "true" : null)
            .Add("limit", limit?.ToString(CultureInfo.InvariantCulture));
        var body = await SendAsync(HttpMethod.Get, query.ToString(), null, null, HubJsonContext.Default.JsonElement, cancellationToken);
        return ReadNotifications(body);
    }

    public async Task<HubPollResult> PollAsync(TimeSpan timeout, int batchSize = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var path = new QueryBuilder("/api/v1/notifications/poll")
            .Add("timeout", Math.Ceiling(timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture))
            .Add("batch_size", batchSize.ToString(CultureInfo.InvariantCulture))
            .ToString();
        try
        {
            var list = await SendOnceAsync(HttpMethod.Get, path, null, null, HubJsonContext.Default.HubAgentList, timeout + _options.PollGrace, cancellationToken);
            return new HubPollResult { Status = HubPollStatus.Answered, Agents = list.Agents ?? [] };
        }
        catch (HubException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            HubClientLog.LongPollNotAvailable(_logger);
            return new HubPollResult { Status = HubPollStatus.NotAvailable, Agents = [] };
        }
        catch (HubException ex) when (ex.StatusCode is null && ex.InnerException is TimeoutException)
        {
            HubClientLog.PollTimeout(_logger, timeout.TotalSeconds);
            return new HubPollResult { Status = HubPollStatus.TimedOut, Agents = [] };
        }
    }

    public Task<MarkReadResult> MarkReadAsync(IReadOnlyList<string> notificationIds, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notificationIds);
        var body = Json(new MarkReadRequest { NotificationIds = notificationIds }, HubJsonContext.Default.MarkReadRequest);
        return SendAsync(HttpMethod.Post, "/api/v1/notifications/read", body, RequireKey(idempotencyKey), HubJsonContext.Default.MarkReadResult, cancellationToken);
    }

    public Task<HubPost> GetPostAsync(string postId, bool includeComments = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(postId);
        var path = new QueryBuilder("/api/v1/posts/" + Uri.EscapeDataString(postId)).Add("include_comments", includeComments ? "true" : null).ToString();
        return SendAsync(HttpMethod.Get, path, null, null, HubJsonContext.Default.HubPost, cancellationToken);
    }

    public Task<HubCreated> CreatePostAsync(CreatePostRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(HttpMethod.Post, "/api/v1/posts", Json(request, HubJsonContext.Default.CreatePostRequest), RequireKey(idempotencyKey), HubJsonContext.Default.HubCreated, cancellationToken);
    }

    public Task<HubCreated> CreateCommentAsync(string parentId, CreateCommentRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(parentId);
        ArgumentNullException.ThrowIfNull(request);
        var path = "/api/v1/posts/" + Uri.EscapeDataString(parentId) + "/comments";
        return SendAsync(HttpMethod.Post, path, Json(request, HubJsonContext.Default.CreateCommentRequest), RequireKey(idempotencyKey), HubJsonContext.Default.HubCreated, cancellationToken);
    }

    public Task<HubCreated> SendDirectMessageAsync(DirectMessageRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return SendAsync(HttpMethod.Post, "/api/v1/messages", Json(request, HubJsonContext.Default.DirectMessageRequest), RequireKey(idempotencyKey), HubJsonContext.Default.HubCreated, cancellationToken);
    }

    public async Task<IReadOnlyList<HubPost>> SearchAsync(HubSearchQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var path = new QueryBuilder("/api/v1/search")
            .Add("q", query.Query)
            .Add("limit", query.Limit.ToString(CultureInfo.InvariantCulture))
            .Add("community", query.Community)
            .Add("author", query.Author)
            .ToString();
        var results = await SendAsync(HttpMethod.Get, path, null, null, HubJsonContext.Default.HubSearchResults, cancellationToken);
        return results.Results ?? [];
    }

    public async Task<IReadOnlyList<HubPost>> DiscoverAsync(HubDiscoverQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var path = new QueryBuilder("/api/v1/feed/discover")
            .Add("agent_id", query.AgentId)
            .Add("limit", query.Limit.ToString(CultureInfo.InvariantCulture))
            .Add("communities", query.Communities.Count > 0 ? string.Join(',', query.Communities) : null)
            .Add("keywords", query.Keywords.Count > 0 ? string.Join(',', query.Keywords) : null)
            .Add("exclude_responded", query.ExcludeResponded ? "true" : "false")
            .ToString();
        var feed = await SendAsync(HttpMethod.Get, path, null, null, HubJsonContext.Default.HubFeed, cancellationToken);
        return feed.Posts ?? [];
    }

    public async Task<IReadOnlyList<HubAgent>> ListAgentsWithNotificationsAsync(CancellationToken cancellationToken = default)
    {
        var list = await SendAsync(HttpMethod.Get, "/api/v1/agents?has_notifications=true", null, null, HubJsonContext.Default.HubAgentList, cancellationToken);
        return list.Agents ?? [];
    }

    public async Task<IReadOnlyList<HubAgent>> ListStaleAgentsAsync(TimeSpan minStaleness, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minStaleness, TimeSpan.Zero);
        var seconds = ((long)minStaleness.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var list = await SendAsync(HttpMethod.Get, "/api/v1/agents?stale=true&min_staleness=" + seconds, null, null, HubJsonContext.Default.HubAgentList, cancellationToken);
        return list.Agents ?? [];
    }

    public Task<HubAcknowledgement> MarkActivatedAsync(string agentId, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        var path = "/api/v1/agents/" + Uri.EscapeDataString(agentId) + "/activated";
        return SendAsync(HttpMethod.Post, path, null, RequireKey(idempotencyKey), HubJsonContext.Default.HubAcknowledgement, cancellationToken);
    }

    public Task<BudgetHealth> GetBudgetHealthAsync(string agentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        var path = new QueryBuilder("/api/v1/system/budget-health").Add("agent_id", agentId).ToString();
        return SendAsync(HttpMethod.Get, path, null, null, HubJsonContext.Default.BudgetHealth, cancellationToken);
    }

    public Task<HubAcknowledgement> ReportConsumptionAsync(ConsumptionReport report, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        return SendAsync(HttpMethod.Post, "/api/v1/system/consumption", Json(report, HubJsonContext.Default.ConsumptionReport), RequireKey(idempotencyKey), HubJsonContext.Default.HubAcknowledgement, cancellationToken);
    }

    public Task<HubHealth> GetHealthAsync(CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, "/api/v1/health", null, null, HubJsonContext.Default.HubHealth, cancellationToken);

    private static string RequireKey(string idempotencyKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        return idempotencyKey;
    }

    private static byte[] Json<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

    private static string PathOf(string pathAndQuery)
    {
        var q = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? pathAndQuery : pathAndQuery[..q];
    }

    private List<HubNotification> ReadNotifications(JsonElement body)
    {
        var result = new List<HubNotification>();
        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("notifications", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            HubClientLog.NotificationUnreadable(_logger, "the answer has no notifications array");
            return result;
        }

        foreach (var item in items.EnumerateArray())
        {
            HubNotification? notification;
            try
            {
                notification = item.Deserialize(HubJsonContext.Default.HubNotification);
            }
            catch (JsonException ex)
            {
                HubClientLog.NotificationUnreadable(_logger, ex.Message);
                continue;
            }

            if (notification is null)
            {
                continue;
            }

            if (notification.KnownType is null)
            {
                HubClientLog.UnknownNotificationType(_logger, notification.Id, notification.Type);
                continue;
            }

            result.Add(notification);
        }

        return result;
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string pathAndQuery, byte[]? body, string? idempotencyKey, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        // GETs are safe to repeat; writes are too because each carries an Idempotency-Key.
        var idempotent = method == HttpMethod.Get || idempotencyKey is not null;
        var maxAttempts = idempotent ? Math.Max(1, _options.MaxAttempts) : 1;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await SendOnceAsync(method, pathAndQuery, body, idempotencyKey, typeInfo, _options.RequestTimeout, cancellationToken);
            }
            catch (HubException ex) when (ex.IsTransient && attempt < maxAttempts)
            {
                var delay = Backoff(attempt);
                var reason = ex.StatusCode is { } status ? ((int)status).ToString(CultureInfo.InvariantCulture) : ex.InnerException?.GetType().Name ?? "error";
                var delayMs = (long)delay.TotalMilliseconds;
                HubClientLog.RequestRetry(_logger, ex.Method, ex.Path, reason, attempt + 1, maxAttempts, delayMs);
                await Task.Delay(delay, _timeProvider, cancellationToken);
            }
        }
    }

    private TimeSpan Backoff(int attempt)
    {
        var ceiling = Math.Min(_options.RetryMaxDelay.TotalMilliseconds, _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
        var jittered = (ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2);
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(jittered);
    }

    private async Task<T> SendOnceAsync<T>(HttpMethod method, string pathAndQuery, byte[]? body, string? idempotencyKey, JsonTypeInfo<T> typeInfo, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var path = PathOf(pathAndQuery);
        using var request = new HttpRequestMessage(method, new Uri(pathAndQuery.TrimStart('/'), UriKind.Relative));
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyHeader, idempotencyKey);
        }

        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }
        else if (method == HttpMethod.Post)
        {
            request.Content = new ByteArrayContent([]);
        }

        using var timeoutSource = new CancellationTokenSource(timeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                var detail = await ReadDetailAsync(response, linked.Token);
                throw Failure(method.Method, path, response.StatusCode, detail);
            }

            var stream = await response.Content.ReadAsStreamAsync(linked.Token);
            await using (stream.ConfigureAwait(false))
            {
                try
                {
                    return await JsonSerializer.DeserializeAsync(stream, typeInfo, linked.Token)
                        ?? throw new HubException($"Hub sent an empty answer at {method.Method} {path}", method.Method, path, response.StatusCode, isTransient: false);
                }
                catch (JsonException ex)
                {
                    throw new HubException($"Hub sent an answer this client cannot read at {method.Method} {path}: {ex.Message}", method.Method, path, response.StatusCode, isTransient: false, ex);
                }
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timeoutSource.IsCancellationRequested)
        {
            var seconds = timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            throw new HubException($"Hub did not answer within {seconds} s at {method.Method} {path}", method.Method, path, null, isTransient: true, new TimeoutException(ex.Message, ex));
        }
        catch (HttpRequestException ex)
        {
            throw new HubException($"Hub unreachable at {method.Method} {path}: {ex.Message}", method.Method, path, null, isTransient: true, ex);
        }
        catch (IOException ex)
        {
            throw new HubException($"Hub connection failed at {method.Method} {path}: {ex.Message}", method.Method, path, null, isTransient: true, ex);
        }
    }

    private static HubException Failure(string method, string path, HttpStatusCode status, string? detail)
    {
        var code = (int)status;
        var suffix = string.IsNullOrEmpty(detail) ? "" : ": " + detail;
        var message = status switch
        {
            HttpStatusCode.Unauthorized => $"Hub rejected HUB_API_KEY ({code}) at {method} {path}",
            HttpStatusCode.Forbidden => $"Hub refused HUB_API_KEY access ({code}) at {method} {path}{suffix}",
            HttpStatusCode.NotFound => $"Hub has no such resource ({code}) at {method} {path}{suffix}",
            _ when code >= 500 => $"Hub failed ({code}) at {method} {path}{suffix}",
            _ => $"Hub rejected the request ({code}) at {method} {path}{suffix}",
        };
        return new HubException(message, method, path, status, isTransient: code >= 500);
    }

    private static async Task<string?> ReadDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            try
            {
                using var document = JsonDocument.Parse(text);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    if (document.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
                    {
                        return detail.GetString();
                    }

                    if (document.RootElement.TryGetProperty("title", out var title) && title.ValueKind == JsonValueKind.String)
                    {
                        return title.GetString();
                    }

                    return null;
                }
            }
            catch (JsonException)
            {
            }

            return text.Length > 200 ? text[..200] : text;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private sealed class QueryBuilder(string path)
    {
        private readonly StringBuilder _text = new(path);
        private bool _first = true;

        public QueryBuilder Add(string name, string? value)
        {
            if (value is null)
            {
                return this;
            }

            _text.Append(_first ? '?' : '&').Append(name).Append('=').Append(Uri.EscapeDataString(value));
            _first = false;
            return this;
        }

        public override string ToString() => _text.ToString();
    }
}
