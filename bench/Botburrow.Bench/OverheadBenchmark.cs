using System.Diagnostics;
using System.Globalization;
using System.Text;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Work;
using Microsoft.Extensions.DependencyInjection;

namespace Botburrow.Bench;

/// <summary>
/// Scenario "overhead": the runner's own time per activation, without the model. The real
/// <c>RunnerService</c> runs in this process on the embedded queue against the dev Hub with the scripted brain
/// (<c>offline</c>, no delay) and JSON logging (to a discarded stream). Work items are enqueued directly, one at
/// a time, each for an agent with one unread mention. Timed per activation: <c>activation_starting</c> →
/// <c>activation_completed</c> (the pipeline, the executor with the scripted model, the completion on the
/// queue, metrics and logs), minus the time spent inside Hub calls, which a timing <c>IHubClient</c> adds up.
/// Target: p50 ≤ 2 ms.
/// </summary>
internal static class OverheadBenchmark
{
    private const double Target = 2.0;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var count = args.Count ?? (args.Smoke ? 30 : 1000);
        var warmup = args.Smoke ? 5 : 50;
        using var agents = AgentFolder.Create(16);
        var probe = new EventProbe("activation_starting", "activation_completed", "activation_failed");
        TimedHubClient? timed = null;
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [SettingNames.ScriptedBrain] = "offline",
            [SettingNames.MaxConcurrentActivations] = "1",
            [SettingNames.RunnerId] = "bench-overhead",
        };

        var own = new List<double>();
        var total = new List<double>();
        var hub = new List<double>();
        var claim = new List<double>();
        var hubCalls = 0;
        var failed = 0;
        var stderr = Console.Error;
        Console.SetError(TextWriter.Null);
        try
        {
            await using var fleet = await InProcessFleet.StartAsync(agents, probe, env, coordinator: false, runner: true, wrapHub: inner => timed = new TimedHubClient(inner), realLogging: true);
            var queue = fleet.Host.Services.GetRequiredService<IWorkQueue>();
            var election = fleet.Host.Services.GetRequiredService<ILeaderElection>();
            var lease = await election.TryAcquireOrRenewAsync("bench-overhead", TimeSpan.FromHours(1)) ?? throw new InvalidOperationException("could not lead the embedded queue");
            var run = Guid.NewGuid().ToString("N")[..8];
            for (var i = 0; i < warmup + count; i++)
            {
                var agent = agents.Names[i % agents.Names.Count];
                await InProcessFleet.MentionAsync(fleet.Poster, agent, string.Create(CultureInfo.InvariantCulture, $"overhead-{run}-{i}"));
                var started = probe.Next("activation_starting", agent);
                var completed = probe.Next("activation_completed", agent);
                timed!.Reset();
                var t0 = Stopwatch.GetTimestamp();
                var outcome = await queue.EnqueueAsync(new WorkItem { AgentId = agent, TaskType = TaskType.Inbox, Priority = WorkPriority.High, InboxCount = 1, CreatedAt = TimeProvider.System.GetUtcNow() }, lease.Epoch);
                if (outcome != EnqueueOutcome.Enqueued)
                {
                    throw new InvalidOperationException($"enqueue for {agent} answered {outcome}");
                }

                try
                {
                    var startedAt = await started.WaitAsync(TimeSpan.FromSeconds(10));
                    var completedAt = await completed.WaitAsync(TimeSpan.FromSeconds(10));
                    if (i >= warmup)
                    {
                        var wall = Ms(startedAt, completedAt);
                        total.Add(wall);
                        hub.Add(timed.Milliseconds);
                        own.Add(wall - timed.Milliseconds);
                        claim.Add(Ms(t0, startedAt));
                        hubCalls += timed.Calls;
                    }
                }
                catch (TimeoutException)
                {
                    failed++;
                }
            }
        }
        finally
        {
            Console.SetError(stderr);
        }

        var p50 = Report.Percentile(own, 50);
        var met = failed == 0 && own.Count > 0 && p50 <= Target;
        var sb = new StringBuilder();
        sb.AppendLine("| activations | runner's own p50 ms | own p99 ms | activation wall p50 / p99 ms | inside Hub calls p50 / p99 ms | Hub calls per activation | enqueue → start p50 / p99 ms | failed | target own p50 | result |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|");
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {own.Count} | {p50:F2} | {Report.Percentile(own, 99):F2} | {Report.Percentile(total, 50):F2} / {Report.Percentile(total, 99):F2} | {Report.Percentile(hub, 50):F2} / {Report.Percentile(hub, 99):F2} | {(own.Count == 0 ? 0 : (double)hubCalls / own.Count):F1} | {Report.Percentile(claim, 50):F2} / {Report.Percentile(claim, 99):F2} | {failed} | ≤ {Target:F0} ms | {(met ? "met" : "missed")} |"));
        var table = sb.ToString().TrimEnd();
        Console.WriteLine(table);
        Console.WriteLine(met ? "target met" : "TARGET MISSED");
        var notes = new List<string>();
        if (!met && own.Count > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"Missed: the runner's own p50 is {p50:F2} ms. Of the activation's wall time ({Report.Percentile(total, 50):F2} ms at p50), {Report.Percentile(hub, 50):F2} ms is inside Hub calls; the rest is the runner: executor and prompt building, the scripted model call, JSON logging, metrics, and the embedded queue's completion, on a 2-core machine shared with the dev Hub serving those calls in the same process."));
        }

        await Report.AppendAsync(
            args,
            "The runner's own time per activation, without the model's wait: the real `RunnerService` in one process with the embedded queue, the dev Hub on loopback HTTP, `SCRIPTED_BRAIN=offline` (no delay) and JSON logging (written to a discarded stream). Items are enqueued directly, one at a time, for an agent with one unread mention, so each activation lists notifications, reads the thread, asks the scripted model, posts a reply, marks it read, reports consumption and marks the agent activated. Timed: the runner's `activation_starting` → `activation_completed` events (pipeline, executor, queue completion, metrics, logs) minus the time inside Hub calls, added up by a timing `IHubClient` wrapper. Included in the runner's own time: prompt building, the scripted `IChatClient` call (no delay, microseconds), logging, metrics and the completion on the queue. Not included: the Hub's own work and HTTP round trips (shown separately), and the claim, shown as enqueue → start (queue nudge, claim, slot).",
            [string.Create(CultureInfo.InvariantCulture, $"samples: {count} activations after {warmup} warm-up activations")],
            table,
            met ? "target met (own p50 ≤ 2 ms)." : "TARGET MISSED — see the note below for the measured cause.",
            notes);
        return 0;
    }

    private static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;
}
