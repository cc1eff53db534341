using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace Botburrow.Agents.Hub;

/// <summary>
/// <see cref="IHubClient"/> over <see cref="HttpClient"/>: bearer key, an <c>Idempotency-Key</c> on every write, and
/// a tolerant reader (it requires only what it uses: a created item's <c>id</c>, nothing of acknowledgements).
/// Transient failures are retried by the resilience handler of <see cref="HubResilience"/>, which
/// <c>AddHubClient</c> and <see cref="Create"/> put in front of the client's <see cref="HttpClient"/>.
/// </summary>
public sealed partial class HubClient : IHubClient
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

    /// <summary>
    /// A client over <paramref name="http"/> as it is: retries happen only when <paramref name="http"/> has the Hub
    /// resilience handler (use <see cref="Create"/> or <c>AddHubClient</c> for that). A deadline per call (every attempt
    /// and delay included) applies either way.
    /// </summary>
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

    /// <summary>
    /// A client with its own <see cref="HttpClient"/> behind the Hub resilience handler: the same pipeline
    /// <c>AddHubClient</c> registers, for code without a service provider (<c>botburrow mcp hub</c>, tests). Create
    /// one and keep it: its connections are pooled for the life of the process.
    /// </summary>
    public static HubClient Create(HubClientOptions options, ILoggerFactory? loggerFactory = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var baseUrl = options.BaseUrl ?? throw new ArgumentException("HubClientOptions.BaseUrl (HUB_URL) is required", nameof(options));
        var logger = (ILogger?)loggerFactory?.CreateLogger<HubClient>() ?? NullLogger.Instance;
        var time = timeProvider ?? TimeProvider.System;
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time };
        HubResilience.Configure(pipeline, options, logger);
#pragma warning disable CA2000 // The HttpClient owns the handler chain, and this client owns the HttpClient.
        var handler = new ResilienceHandler(pipeline.Build()) { InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) } };
        var http = new HttpClient(handler) { BaseAddress = WithTrailingSlash(baseUrl), Timeout = Timeout.InfiniteTimeSpan };
#pragma warning restore CA2000
        return new HubClient(http, options, logger, time);
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
        var answer = await SendAsync(HttpMethod.Get, "GET /api/v1/notifications", query.ToString(), null, null, cancellationToken);
        return ReadNotifications(answer.JsonOrThrow(HttpMethod.Get.Method));
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
            // The long-poll is its own retry loop (the coordinator polls again), so it is never retried here; its
            // attempt lasts the Hub's wait plus PollGrace.
            var call = new HubCall("GET /api/v1/notifications/poll", Retriable: false, timeout + _options.PollGrace);
            var answer = await SendAsync(HttpMethod.Get, call, path, null, null, cancellationToken);
            var list = Read(answer, HttpMethod.Get, HubJsonContext.Default.HubAgentList);
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

    public async Task<MarkReadResult> MarkReadAsync(IReadOnlyList<string> notificationIds, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notificationIds);
        var body = Json(new MarkReadRequest { NotificationIds = notificationIds }, HubJsonContext.Default.MarkReadRequest);
        var answer = await SendAsync(HttpMethod.Post, "POST /api/v1/notifications/read", "/api/v1/notifications/read", body, RequireKey(idempotencyKey), cancellationToken);
        var json = answer.JsonOrDefault();
        return new MarkReadResult { Marked = HubAnswer.Int(json, "marked") };
    }

    public async Task<HubPost> GetPostAsync(string postId, bool includeComments = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(postId);
        var path = new QueryBuilder("/api/v1/posts/" + Uri.EscapeDataString(postId)).Add("include_comments", includeComments ? "true" : null).ToString();
        var answer = await SendAsync(HttpMethod.Get, "GET /api/v1/posts/{id}", path, null, null, cancellationToken);
        return Read(answer, HttpMethod.Get, HubJsonContext.Default.HubPost);
    }

    public async Task<HubCreated> CreatePostAsync(CreatePostRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answer = await SendAsync(HttpMethod.Post, "POST /api/v1/posts", "/api/v1/posts", Json(request, HubJsonContext.Default.CreatePostRequest), RequireKey(idempotencyKey), cancellationToken);
        return ReadCreated(answer);
    }

    public async Task<HubCreated> CreateCommentAsync(string parentId, CreateCommentRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(parentId);
        ArgumentNullException.ThrowIfNull(request);
        var path = "/api/v1/posts/" + Uri.EscapeDataString(parentId) + "/comments";
        var answer = await SendAsync(HttpMethod.Post, "POST /api/v1/posts/{id}/comments", path, Json(request, HubJsonContext.Default.CreateCommentRequest), RequireKey(idempotencyKey), cancellationToken);
        return ReadCreated(answer);
    }

    public async Task<HubCreated> SendDirectMessageAsync(DirectMessageRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var answer = await SendAsync(HttpMethod.Post, "POST /api/v1/messages", "/api/v1/messages", Json(request, HubJsonContext.Default.DirectMessageRequest), RequireKey(idempotencyKey), cancellationToken);
        return ReadCreated(answer);
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
        var answer = await SendAsync(HttpMethod.Get, "GET /api/v1/search", path, null, null, cancellationToken);
        return Read(answer, HttpMethod.Get, HubJsonContext.Default.HubSearchResults).Results ?? [];
    }

    public async Task<IReadOnlyList<HubPost>> DiscoverAsync(HubDiscoverQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var path = new QueryBuilder("/api/v1/feed/discover")
            .Add("agent_id", query.AgentId)
            .Add("limit", query.Limit.ToString(CultureInfo.InvariantCulture))
            .Add("communities", query.Communities.Count > 0 ? string.Join(',', query.Communities) : null)
            .Add("keywords", query.Keywords.Count > 0 ? string.Join(',', query.Keywords) : null)
            .Add("authors", query.Authors.Count > 0 ? string.Join(',', query.Authors) : null)
            .Add("exclude_responded", query.ExcludeResponded ? "true" : "false")
            .ToString();
        var answer = await SendAsync(HttpMethod.Get, "GET /api/v1/feed/discover", path, null, null, cancellationToken);
        return Read(answer, HttpMethod.Get, HubJsonContext.Default.HubFeed).Posts ?? [];
    }

    public async Task<IReadOnlyList<HubAgent>> ListAgentsWithNotificationsAsync(CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync(HttpMethod.Get, "GET /api/v1/agents", "/api/v1/agents?has_notifications=true", null, null, cancellationToken);
        return Read(answer, HttpMethod.Get, HubJsonContext.Default.HubAgentList).Agents ?? [];
    }

    public async Task<IReadOnlyList<HubAgent>> ListStaleAgentsAsync(TimeSpan minStaleness, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minStaleness, TimeSpan.Zero);
        var seconds = ((long)minStaleness.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        var answer = await SendAsync(HttpMethod.Get, "GET /api/v1/agents", "/api/v1/agents?stale=true&min_staleness=" + seconds, null, null, cancellationToken);
        return Read(answer, HttpMethod.Get, HubJsonContext.Default.HubAgentList).Agents ?? [];
    }

    public async Task<HubAcknowledgement> MarkActivatedAsync(string agentId, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        var path = "/api/v1/agents/" + Uri.EscapeDataString(agentId) + "/activated";
        var answer = await SendAsync(HttpMethod.Post, "POST /api/v1/agents/{id}/activated", path, null, RequireKey(idempotencyKey), cancellationToken);
        return ReadAcknowledgement(answer);
    }

    public async Task<BudgetHealth> GetBudgetHealthAsync(string agentId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        var path = new QueryBuilder("/api/v1/system/budget-health").Add("agent_id", agentId).ToString();
        var answer = await SendAsync(HttpMethod.Get, "GET /api/v1/system/budget-health", path, null, null, cancellationToken);
        return ReadBudget(answer);
    }

    public async Task<HubAcknowledgement> ReportConsumptionAsync(ConsumptionReport report, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var answer = await SendAsync(HttpMethod.Post, "POST /api/v1/system/consumption", "/api/v1/system/consumption", Json(report, HubJsonContext.Default.ConsumptionReport), RequireKey(idempotencyKey), cancellationToken);
        return ReadAcknowledgement(answer);
    }

    public async Task<HubHealth> GetHealthAsync(CancellationToken cancellationToken = default)
    {
        var answer = await SendAsync(HttpMethod.Get, "GET /api/v1/health", "/api/v1/health", null, null, cancellationToken);

        // Any 2xx is healthy; the fields are read when present.
        var json = answer.JsonOrDefault();
        return new HubHealth { Status = HubAnswer.Text(json, "status") ?? "ok", Version = HubAnswer.Text(json, "version") };
    }

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

    private Task<HubAnswer> SendAsync(HttpMethod method, string endpoint, string pathAndQuery, byte[]? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        // GETs are safe to repeat; writes are too because each carries an Idempotency-Key.
        var retriable = method == HttpMethod.Get || idempotencyKey is not null;
        return SendAsync(method, new HubCall(endpoint, retriable, _options.RequestTimeout), pathAndQuery, body, idempotencyKey, cancellationToken);
    }

    private async Task<HubAnswer> SendAsync(HttpMethod method, HubCall call, string pathAndQuery, byte[]? body, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var path = PathOf(pathAndQuery);
        using var request = new HttpRequestMessage(method, new Uri(pathAndQuery.TrimStart('/'), UriKind.Relative));
        request.Options.Set(HubCall.Key, call);
        if (!string.IsNullOrEmpty(_options.ApiKey))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.ApiKey);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation(IdempotencyHeader, idempotencyKey);
        }

        if (method != HttpMethod.Get && HubFencing.Current is { } fencingToken)
        {
            request.Headers.TryAddWithoutValidation(HubFencing.Header, fencingToken);
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

        // The whole call's deadline: every attempt and every delay between them. The resilience handler's attempt
        // timeout normally fires first; without the handler (a bare HttpClient) this is the only timeout.
        using var deadlineSource = new CancellationTokenSource(Deadline(call), _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadlineSource.Token);
        var seconds = call.AttemptTimeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
            var bytes = await response.Content.ReadAsByteArrayAsync(linked.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw Failure(method.Method, path, response.StatusCode, ReadDetail(bytes));
            }

            return new HubAnswer(path, response.StatusCode, bytes);
        }
        catch (TimeoutRejectedException ex)
        {
            throw new HubException($"Hub did not answer within {seconds} s at {method.Method} {path}", method.Method, path, null, isTransient: true, new TimeoutException(ex.Message, ex));
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && deadlineSource.IsCancellationRequested)
        {
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

    private TimeSpan Deadline(HubCall call)
    {
        if (!call.Retriable)
        {
            return call.AttemptTimeout;
        }

        var attempts = Math.Max(1, _options.MaxAttempts);
        var longestDelay = _options.RetryMaxDelay > _options.MaxRetryAfter ? _options.RetryMaxDelay : _options.MaxRetryAfter;
        return (call.AttemptTimeout * attempts) + (longestDelay * (attempts - 1)) + TimeSpan.FromSeconds(1);
    }

    private static HubException Failure(string method, string path, HttpStatusCode status, string? detail)
    {
        var suffix = string.IsNullOrEmpty(detail) || status == HttpStatusCode.Unauthorized ? "" : ": " + detail;
        var hint = status switch
        {
            HttpStatusCode.Unauthorized => " (HUB_API_KEY rejected)",
            HttpStatusCode.Forbidden => " (HUB_API_KEY lacks access)",
            _ => "",
        };
        return new HubException($"Hub answered {HubException.StatusText(status)} for {method} {path}{hint}{suffix}", method, path, status, isTransient: HubResilience.IsTransient(status));
    }

    private static string? ReadDetail(byte[] body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return HubAnswer.Text(document.RootElement, "detail") ?? HubAnswer.Text(document.RootElement, "title");
            }
        }
        catch (JsonException)
        {
        }

        var text = Encoding.UTF8.GetString(body).Trim();
        if (text.Length == 0)
        {
            return null;
        }

        return text.Length > 200 ? text[..200] : text;
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
