using System.Collections.Concurrent;
using Botburrow.Agents.Hub;

namespace Botburrow.Agents.Coordinator.Tests;

/// <summary>
/// An in-memory Hub for the coordinator's loops: what the long-poll, the listings and the budget check answer is a
/// <see cref="Func{T, TResult}"/> a test sets; the calls are counted. Members the coordinator does not use throw.
/// </summary>
internal sealed class InMemoryHub : IHubClient
{
    private readonly TimeProvider _timeProvider;

    public InMemoryHub(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
        // Like the Hub: answer at once with the agents that have unread notifications, else wait out the long-poll.
        Poll = async cancellationToken =>
        {
            var waiting = Unread.Where(kv => kv.Value.Count > 0).Select(kv => kv.Key).Order(StringComparer.Ordinal).ToArray();
            if (waiting.Length > 0)
            {
                return Answered(waiting);
            }

            await Task.Delay(TimeSpan.FromSeconds(30), timeProvider, cancellationToken);
            return TimedOut;
        };
    }

    public ConcurrentDictionary<string, List<HubNotification>> Unread { get; } = new(StringComparer.Ordinal);

    public Func<CancellationToken, Task<HubPollResult>> Poll { get; set; }

    public Func<CancellationToken, Task<IReadOnlyList<HubAgent>>> ListWithNotifications { get; set; } = _ => Task.FromResult<IReadOnlyList<HubAgent>>([]);

    public Func<CancellationToken, Task<IReadOnlyList<HubAgent>>> ListStale { get; set; } = _ => Task.FromResult<IReadOnlyList<HubAgent>>([]);

    public int PollCalls;

    public int ListCalls;

    public int StaleCalls;

    /// <summary>Budget-health calls and unread-notification listings, per agent (budget calls with the clock's time).</summary>
    public ConcurrentDictionary<string, int> BudgetCalls { get; } = new(StringComparer.Ordinal);

    public ConcurrentQueue<(string Agent, DateTimeOffset At)> BudgetCallTimes { get; } = new();

    public ConcurrentDictionary<string, int> ListingCalls { get; } = new(StringComparer.Ordinal);

    /// <summary>Whether an agent is within its budget (healthy unless a test says otherwise).</summary>
    public Func<string, bool> Healthy { get; set; } = _ => true;

    public static HubPollResult TimedOut { get; } = new() { Status = HubPollStatus.TimedOut, Agents = [] };

    public static HubPollResult NotAvailable { get; } = new() { Status = HubPollStatus.NotAvailable, Agents = [] };

    public static HubAgent Agent(string name) => new() { Id = name, Name = name };

    public static HubPollResult Answered(params string[] agents) => new() { Status = HubPollStatus.Answered, Agents = [.. agents.Select(Agent)] };

    /// <summary>Gives <paramref name="agent"/> an unread mention.</summary>
    public void Mention(string agent, DateTimeOffset at)
        => Unread.GetOrAdd(agent, _ => []).Add(new HubNotification { Id = Guid.NewGuid().ToString("N"), Type = "mention", AgentId = agent, CreatedAt = at });

    public Task<HubPollResult> PollAsync(TimeSpan timeout, int batchSize = 100, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref PollCalls);
        return Poll(cancellationToken);
    }

    public Task<IReadOnlyList<HubAgent>> ListAgentsWithNotificationsAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref ListCalls);
        return ListWithNotifications(cancellationToken);
    }

    public Task<IReadOnlyList<HubAgent>> ListStaleAgentsAsync(TimeSpan minStaleness, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref StaleCalls);
        return ListStale(cancellationToken);
    }

    public Task<IReadOnlyList<HubNotification>> ListNotificationsAsync(string? agentId, bool unreadOnly = true, int? limit = null, CancellationToken cancellationToken = default)
    {
        ListingCalls.AddOrUpdate(agentId ?? "", 1, (_, n) => n + 1);
        return Task.FromResult<IReadOnlyList<HubNotification>>(agentId is not null && Unread.TryGetValue(agentId, out var list) ? [.. list] : []);
    }

    public Task<BudgetHealth> GetBudgetHealthAsync(string agentId, CancellationToken cancellationToken = default)
    {
        BudgetCalls.AddOrUpdate(agentId, 1, (_, n) => n + 1);
        BudgetCallTimes.Enqueue((agentId, _timeProvider.GetUtcNow()));
        return Task.FromResult(new BudgetHealth { AgentId = agentId, Healthy = Healthy(agentId) });
    }

    public Task<HubHealth> GetHealthAsync(CancellationToken cancellationToken = default)
        => Task.FromResult(new HubHealth { Status = "ok" });

    public Task<MarkReadResult> MarkReadAsync(IReadOnlyList<string> notificationIds, string idempotencyKey, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<HubPost> GetPostAsync(string postId, bool includeComments = false, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<HubCreated> CreatePostAsync(CreatePostRequest request, string idempotencyKey, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<HubCreated> CreateCommentAsync(string parentId, CreateCommentRequest request, string idempotencyKey, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<HubCreated> SendDirectMessageAsync(DirectMessageRequest request, string idempotencyKey, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<HubPost>> SearchAsync(HubSearchQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<HubPost>> DiscoverAsync(HubDiscoverQuery query, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<HubAcknowledgement> MarkActivatedAsync(string agentId, string idempotencyKey, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<HubAcknowledgement> ReportConsumptionAsync(ConsumptionReport report, string idempotencyKey, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
