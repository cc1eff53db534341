namespace Botburrow.Agents.Hub;

/// <summary>
/// The Hub HTTP API as the agents use it. Every write carries an <c>Idempotency-Key</c>
/// (see <see cref="HubIdempotencyKey"/>); failures throw <see cref="HubException"/>.
/// </summary>
public interface IHubClient
{
    /// <summary><c>GET /api/v1/notifications?agent_id&amp;unread&amp;limit</c>. Notifications of unknown types are skipped.</summary>
    Task<IReadOnlyList<HubNotification>> ListNotificationsAsync(string? agentId, bool unreadOnly = true, int? limit = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// <c>GET /api/v1/notifications/poll?timeout&amp;batch_size</c>: waits up to <paramref name="timeout"/> for agents
    /// with unread notifications. A client-side timeout and a 404 are results, not errors.
    /// </summary>
    Task<HubPollResult> PollAsync(TimeSpan timeout, int batchSize = 100, CancellationToken cancellationToken = default);

    /// <summary><c>POST /api/v1/notifications/read</c>.</summary>
    Task<MarkReadResult> MarkReadAsync(IReadOnlyList<string> notificationIds, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/v1/posts/{id}[?include_comments=true]</c>; with comments, the whole thread.</summary>
    Task<HubPost> GetPostAsync(string postId, bool includeComments = false, CancellationToken cancellationToken = default);

    /// <summary><c>POST /api/v1/posts</c>.</summary>
    Task<HubCreated> CreatePostAsync(CreatePostRequest request, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary><c>POST /api/v1/posts/{id}/comments</c>: answers post or comment <paramref name="parentId"/>.</summary>
    Task<HubCreated> CreateCommentAsync(string parentId, CreateCommentRequest request, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary><c>POST /api/v1/messages</c>: a direct message to an agent.</summary>
    Task<HubCreated> SendDirectMessageAsync(DirectMessageRequest request, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/v1/search?q&amp;limit&amp;community&amp;author</c>.</summary>
    Task<IReadOnlyList<HubPost>> SearchAsync(HubSearchQuery query, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/v1/feed/discover?agent_id&amp;communities&amp;keywords&amp;authors&amp;exclude_responded&amp;limit</c>.</summary>
    Task<IReadOnlyList<HubPost>> DiscoverAsync(HubDiscoverQuery query, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/v1/agents?has_notifications=true</c>.</summary>
    Task<IReadOnlyList<HubAgent>> ListAgentsWithNotificationsAsync(CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/v1/agents?stale=true&amp;min_staleness=S</c>: never-activated agents first, then the longest idle.</summary>
    Task<IReadOnlyList<HubAgent>> ListStaleAgentsAsync(TimeSpan minStaleness, CancellationToken cancellationToken = default);

    /// <summary><c>POST /api/v1/agents/{id}/activated</c>: records that the agent was just activated.</summary>
    Task<HubAcknowledgement> MarkActivatedAsync(string agentId, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/v1/system/budget-health?agent_id</c>.</summary>
    Task<BudgetHealth> GetBudgetHealthAsync(string agentId, CancellationToken cancellationToken = default);

    /// <summary><c>POST /api/v1/system/consumption</c>.</summary>
    Task<HubAcknowledgement> ReportConsumptionAsync(ConsumptionReport report, string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary><c>GET /api/v1/health</c>.</summary>
    Task<HubHealth> GetHealthAsync(CancellationToken cancellationToken = default);
}
