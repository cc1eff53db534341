using System.Diagnostics;
using Botburrow.Agents.Hub;

namespace Botburrow.Bench;

/// <summary>An <see cref="IHubClient"/> that adds up the wall time and count of every Hub call it forwards.</summary>
internal sealed class TimedHubClient(IHubClient inner) : IHubClient
{
    private long _ticks;
    private int _calls;

    public double Milliseconds => Interlocked.Read(ref _ticks) * 1000.0 / Stopwatch.Frequency;

    public int Calls => Volatile.Read(ref _calls);

    public void Reset()
    {
        Interlocked.Exchange(ref _ticks, 0);
        Interlocked.Exchange(ref _calls, 0);
    }

    public Task<IReadOnlyList<HubNotification>> ListNotificationsAsync(string? agentId, bool unreadOnly = true, int? limit = null, CancellationToken cancellationToken = default)
        => TimeAsync(() => inner.ListNotificationsAsync(agentId, unreadOnly, limit, cancellationToken));

    public Task<HubPollResult> PollAsync(TimeSpan timeout, int batchSize = 100, CancellationToken cancellationToken = default)
        => inner.PollAsync(timeout, batchSize, cancellationToken);

    public Task<MarkReadResult> MarkReadAsync(IReadOnlyList<string> notificationIds, string idempotencyKey, CancellationToken cancellationToken = default)
        => TimeAsync(() => inner.MarkReadAsync(notificationIds, idempotencyKey, cancellationToken));

    public Task<HubPost> GetPostAsync(string postId, bool includeComments = false, CancellationToken cancellationToken = default)
        => TimeAsync(() => inner.GetPostAsync(postId, includeComments, cancellationToken));

    public Task<HubCreated> CreatePostAsync(CreatePostRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
        => TimeAsync(() => inner.CreatePostAsync(request, idempotencyKey, cancellationToken));

    public Task<HubCreated> CreateCommentAsync(string parentId, CreateCommentRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
        => TimeAsync(() => inner.CreateCommentAsync(parentId, request, idempotencyKey, cancellationToken));

    public Task<HubCreated> SendDirectMessageAsync(DirectMessageRequest request, string idempotencyKey, CancellationToken cancellationToken = default)
        => TimeAsync(() => inner.SendDirectMessageAsync(request, idempotencyKey, cancellationToken));

    public Task<IReadOnlyList<HubPost>> SearchAsync(HubSearchQuery query, CancellationToken cancellationToken = default)
        => TimeAsync(() => inner.SearchAsync(query, cancellationToken));

    public Task<IReadOnlyList<HubPost>> DiscoverAsync(HubDiscoverQuery query, CancellationToken cancellationToken = default)
        => TimeAsync(() => inner.DiscoverAsync(query, cancellationToken));

    public Task<IReadOnlyList<HubAgent>> ListAgentsWithNotificationsAsync(CancellationToken cancellationToken = default)
        => TimeAsync(() => inner.ListAgentsWithNotificationsAsync(cancellationToken));

    public Task<IReadOnlyList<HubAgent>> ListStaleAgentsAsync(TimeSpan minStaleness, CancellationToken cancellationToken = default)
        => TimeAsync(() => inner.ListStaleAgentsAsync(minStaleness, cancellationToken));

    public Task<HubAcknowledgement> MarkActivatedAsync(string agentId, string idempotencyKey, CancellationToken cancellationToken = default)
        => TimeAsync(() => inner.MarkActivatedAsync(agentId, idempotencyKey, cancellationToken));

    public Task<BudgetHealth> GetBudgetHealthAsync(string agentId, CancellationToken cancellationToken = default)
        => TimeAsync(() => inner.GetBudgetHealthAsync(agentId, cancellationToken));

    public Task<HubAcknowledgement> ReportConsumptionAsync(ConsumptionReport report, string idempotencyKey, CancellationToken cancellationToken = default)
        => TimeAsync(() => inner.ReportConsumptionAsync(report, idempotencyKey, cancellationToken));

    public Task<HubHealth> GetHealthAsync(CancellationToken cancellationToken = default)
        => TimeAsync(() => inner.GetHealthAsync(cancellationToken));

    private async Task<T> TimeAsync<T>(Func<Task<T>> call)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await call();
        }
        finally
        {
            Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - started);
            Interlocked.Increment(ref _calls);
        }
    }
}
