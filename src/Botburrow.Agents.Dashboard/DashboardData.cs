using Botburrow.Agents.Definitions.Sources;
using Botburrow.Agents.Work;

namespace Botburrow.Agents.Dashboard;

/// <summary>Reads the dashboard's snapshot from the work store.</summary>
public sealed class DashboardData
{
    private readonly IWorkQueue _queue;
    private readonly ILeaderElection _election;
    private readonly TimeProvider _time;
    private readonly DashboardMemorySizes? _memory;

    /// <param name="queue">The work store.</param>
    /// <param name="election">Who leads.</param>
    /// <param name="timeProvider">The clock for ages.</param>
    /// <param name="memory">Where memory sizes come from; <see langword="null"/> in a host without agent definitions or memory store (no memory rows).</param>
    public DashboardData(IWorkQueue queue, ILeaderElection election, TimeProvider timeProvider, DashboardMemorySizes? memory)
    {
        _queue = queue;
        _election = election;
        _time = timeProvider;
        _memory = memory;
    }

    /// <summary>Where the transcript of an activation is shown.</summary>
    public static string TranscriptPath(string activationId) => "/dashboard/transcripts/" + Uri.EscapeDataString(activationId);

    public async Task<DashboardSnapshot> ReadAsync(CancellationToken cancellationToken = default)
    {
        var leader = await _election.GetLeaderAsync(cancellationToken);
        var stats = await _queue.GetStatsAsync(cancellationToken);
        var activations = await _queue.ListActivationsAsync(cancellationToken);
        var backoff = await _queue.ListBackoffAsync(cancellationToken);
        var dead = await _queue.ListDeadAsync(cancellationToken);
        var recent = await _queue.ListRecentAsync(cancellationToken);
        IReadOnlyList<DashboardMemory> memory = [];
        string? memoryError = null;
        if (_memory is not null)
        {
            try
            {
                memory = await _memory.ReadAsync(cancellationToken);
            }
            catch (AgentDefinitionSourceException ex)
            {
                // The rest of the dashboard does not depend on the definitions: show why this part is missing.
                memoryError = "agent definitions unavailable: " + ex.Message;
            }
        }
        var now = _time.GetUtcNow();
        return new DashboardSnapshot
        {
            GeneratedAt = now,
            Leader = leader.InstanceId,
            LeaderSince = leader.Since,
            Epoch = leader.Epoch,
            Queues = [.. new[] { WorkPriority.High, WorkPriority.Normal, WorkPriority.Low }.Select(p => new DashboardQueueRow
            {
                Name = Name(p),
                Depth = stats.Depths.GetValueOrDefault(p),
                OldestAgeSeconds = stats.OldestAge.TryGetValue(p, out var age) ? Math.Round(age.TotalSeconds, 1) : null,
            })],
            Runners = [.. stats.Runners.Select(r => new DashboardRunner
            {
                Id = r.RunnerId,
                Mode = r.Mode,
                Slots = r.Concurrency,
                InFlight = r.InFlight,
                LeasesLost = r.LeasesLost,
                Agents = [.. activations.Where(a => a.RunnerId == r.RunnerId).Select(a => a.AgentId)],
                LastSeenSeconds = Math.Round(Math.Max(0, (now - r.LastSeenAt).TotalSeconds), 1),
            })],
            Activations = [.. activations.Select(a => new DashboardActivation
            {
                Id = a.ActivationId,
                Agent = a.AgentId,
                Task = Name(a.TaskType),
                Runner = a.RunnerId,
                AgeSeconds = Math.Round(Math.Max(0, (now - a.ClaimedAt).TotalSeconds), 1),
                Attempt = a.Attempt,
            })],
            Backoff = [.. backoff.Select(b => new DashboardBackoff
            {
                Agent = b.AgentId,
                Failures = b.Failures,
                Until = b.Until,
                RemainingSeconds = b.Until is { } until && until > now ? Math.Round((until - now).TotalSeconds, 0) : null,
            })],
            Dead = [.. dead.Select(d => new DashboardDead
            {
                Id = d.Id,
                Agent = d.Item.AgentId,
                Task = Name(d.Item.TaskType),
                Attempt = d.Item.Attempt,
                DeadAt = d.DeadAt,
                Error = d.LastError,
            })],
            Recent = [.. recent.Select(r => new DashboardRecent
            {
                Id = r.ActivationId,
                Agent = r.AgentId,
                Task = Name(r.TaskType),
                Runner = r.RunnerId,
                Outcome = r.Outcome,
                Error = r.Error,
                FinishedAt = r.FinishedAt,
                DurationSeconds = r.ClaimedAt == default ? 0 : Math.Round(Math.Max(0, (r.FinishedAt - r.ClaimedAt).TotalSeconds), 1),
                Transcript = TranscriptPath(r.ActivationId),
            })],
            Memory = memory,
            MemoryError = memoryError,
        };
    }

    private static string Name<T>(T value)
        where T : struct, Enum
        => value.ToString().ToLowerInvariant();
}
