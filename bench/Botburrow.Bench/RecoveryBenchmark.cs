using System.Diagnostics;
using System.Globalization;
using System.Text;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Hub;

namespace Botburrow.Bench;

/// <summary>
/// Scenario "recovery", run twice in one sitting: "before" with <c>FAST_FAILURE_DETECTION=false</c> (work of a dead
/// runner is reclaimed only when its lease lapses, as the code before fast detection did) and "after" with the default.
/// Each mode starts a fresh <c>redis-server</c>, dev Hub (idempotency off, so a second write would land as a duplicate)
/// and in-process coordinator. Kills: a real <c>botburrow runner</c> child is SIGKILLed while an activation runs
/// (scripted brain with a delay) and the time until a fresh runner starts the same item again is measured from the
/// kill to that runner's <c>activation_starting</c>. Freeze: the runner is SIGSTOPped mid-activation, a second runner
/// takes the item over once the lease lapses, and the frozen one is woken (SIGCONT) while the second still runs; it
/// must write nothing more (its <c>created_comment</c>/<c>activation_completed</c> or a Hub write carrying its fencing
/// token). Counted: overlapping executions of one agent, writes after a lapsed lease, lost items, duplicate replies.
/// Targets: kill p99 ≤ 3 s; 0 writes after a lapsed lease, 0 overlaps, 0 lost, 0 duplicates.
/// </summary>
internal static class RecoveryBenchmark
{
    private const double Target = 3;
    private const int DelayMs = 3000;
    private static readonly string[] EndEvents = ["activation_completed", "activation_failed", "activation_cancelled", "activation_handed_back", "lease_lost"];
    private static readonly string[] StaleWork = ["created_comment", "activation_completed"];

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var kills = args.Count ?? (args.Smoke ? 2 : 5);
        var leaseText = args.Smoke ? "smoke leases: 3 s lease, 1 s heartbeat, 1 s reap" : "default leases: 15 s lease, 5 s heartbeat, 5 s reap";
        var before = await RunModeAsync(args, kills, fastDetection: false);
        var after = await RunModeAsync(args, kills, fastDetection: true);

        var sb = new StringBuilder();
        sb.AppendLine("| mode | kills | claimed again | kill → restarted p50 s | p99 s | max s | freeze → taken over s | stale writes after the lease lapsed | overlapping executions | lost | duplicates | result |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|");
        sb.AppendLine(before.Row("before: `FAST_FAILURE_DETECTION=false` (lease fallback)", kills));
        sb.AppendLine(after.Row("after: default (fast failure detection)", kills));
        var table = sb.ToString().TrimEnd();
        Console.WriteLine(table);
        Console.WriteLine(after.Met ? "targets met (after)" : "TARGET MISSED (after)");

        var notes = new List<string>();
        foreach (var (name, mode) in new[] { ("before", before), ("after", after) })
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"{name}: the reaper requeued expired or disconnected holders' work {mode.Reaped} time(s); the woken frozen runner {(mode.LeaseLost ? "logged `lease_lost`" : "logged NO `lease_lost`")}{(mode.WokenStopMs is { } ms ? $" {ms:F0} ms after SIGCONT" : "")}; Hub writes carrying its fencing token after it woke: {mode.FencedStaleWrites}{(mode.FencedStaleDetail.Length > 0 ? $" (`{mode.FencedStaleDetail}`)" : "")}."));
        }

        if (!before.Met)
        {
            notes.Add("before misses the kill target as expected: without connection liveness, work of a killed runner becomes reclaimable only when the lease its last heartbeat renewed expires (up to 15 s after the kill), then waits for the next reap pass and a claim.");
        }

        if (!after.Met)
        {
            notes.Add(after.P99 > Target
                ? string.Create(CultureInfo.InvariantCulture, $"after missed: kill p99 {after.P99:F2} s (max {after.Max:F2} s). The time includes starting a fresh runner process (the restart is part of the measured path, see the description) on a machine at the load average below.")
                : "after missed: see the counts in the table.");
        }

        notes.Add("The freeze column is the lease path in both modes: a frozen process keeps its Redis connection, so only the lease (15 s) reveals it; that is the fallback the fast detection keeps, and fencing is what makes it safe.");

        await Report.AppendAsync(
            args,
            "Two modes in one run, each on a fresh loopback `redis-server`, dev Hub (idempotency off, so a repeated write would show as a duplicate) and in-process coordinator (leader, reaper): before = `FAST_FAILURE_DETECTION=false` (the lease fallback, what the code before fast detection did), after = the default. Kills: a real `botburrow runner` child process (one slot) is SIGKILLed 200 ms into an activation whose scripted model answers after 3 s; a fresh runner process is started at once, and the time from the kill to its `activation_starting` for the same agent is measured (it includes that runner's start). Freeze: a runner is SIGSTOPped 200 ms into an activation, a second runner takes the item over once the lease lapses, and the frozen one is woken with SIGCONT as soon as the second starts; any `created_comment`/`activation_completed` of the woken one, or a Hub write carrying its fencing token, after it woke is a stale write. Overlapping executions: activations of one agent whose [start, end] intervals intersect (a killed activation ends at its SIGKILL; the frozen one counts only if it did work after the takeover). At the end every mention's thread is read back: no reply by the agent is a lost item, more than one a duplicate.",
            [leaseText, string.Create(CultureInfo.InvariantCulture, $"kills per mode: {kills}; one freeze per mode; scripted brain: one turn with `delay_ms` {DelayMs}")],
            table,
            after.Met ? "after: targets met (kill p99 ≤ 3 s, 0 stale writes, 0 overlaps, 0 lost, 0 duplicates)." : "after: TARGET MISSED — see the notes below for the measured cause.",
            notes);
        return 0;
    }

    private static async Task<ModeResult> RunModeAsync(BenchArgs args, int kills, bool fastDetection)
    {
        Console.WriteLine(fastDetection ? "== after: fast failure detection" : "== before: FAST_FAILURE_DETECTION=false");
        var leases = args.Smoke
            ? new Dictionary<string, string?> { [SettingNames.LeaseDuration] = "3", [SettingNames.HeartbeatInterval] = "1", [SettingNames.ReapInterval] = "1" }
            : new Dictionary<string, string?>();
        leases[SettingNames.FastFailureDetection] = fastDetection ? "true" : "false";
        using var agents = AgentFolder.Create(kills + 1);
        var script = agents.WriteScript(DelayMs);
        await using var redis = await RedisServer.StartAsync();
        var probe = new EventProbe("leases_reaped", "hub_fenced_write");
        var env = new Dictionary<string, string?>(leases, StringComparer.Ordinal)
        {
            [SettingNames.RedisUrl] = redis.Url,
            [SettingNames.RunnerId] = "bench-coordinator",
            [SettingNames.ScriptedBrain] = script,
        };
        await using var fleet = await InProcessFleet.StartAsync(agents, probe, env, coordinator: true, runner: false, hubIdempotency: false);
        var childEnv = new Dictionary<string, string?>(leases, StringComparer.Ordinal)
        {
            [SettingNames.HubUrl] = fleet.Hub.Url.ToString(),
            [SettingNames.HubApiKey] = fleet.Hub.AdminKey,
            [SettingNames.RedisUrl] = redis.Url,
            [SettingNames.AgentDefinitionsPath] = agents.Root,
            [SettingNames.ScriptedBrain] = script,
            [SettingNames.MaxConcurrentActivations] = "1",
            [SettingNames.LogLevel] = "Debug",
        };

        var result = new ModeResult();
        var posts = new List<(string Agent, string PostId)>();
        var runners = new List<BotburrowProcess>();
        var killedAt = new Dictionary<BotburrowProcess, long>();
        var frozen = (Runner: (BotburrowProcess?)null, WokenAt: 0L);
        var runner = StartRunner(childEnv, runners);
        try
        {
            await runner.WaitForEventAsync("runner_started", TimeSpan.FromSeconds(60));
            for (var k = 0; k < kills; k++)
            {
                var agent = agents.Names[k];
                posts.Add((agent, await InProcessFleet.MentionAsync(fleet.Poster, agent, "recovery-" + k.ToString(CultureInfo.InvariantCulture))));
                await runner.WaitForEventAsync("activation_starting", TimeSpan.FromSeconds(60), l => BotburrowProcess.Field(l, "AgentId") == agent);
                await Task.Delay(200);
                var at = Stopwatch.GetTimestamp();
                await runner.KillAsync();
                killedAt[runner] = at;
                Console.WriteLine($"kill {k + 1}/{kills}: runner killed during the activation of {agent}");
                runner = StartRunner(childEnv, runners);
                try
                {
                    var reclaimedAt = await runner.WaitForEventAsync("activation_starting", TimeSpan.FromSeconds(120), l => BotburrowProcess.Field(l, "AgentId") == agent);
                    var seconds = Stopwatch.GetElapsedTime(at, reclaimedAt).TotalSeconds;
                    result.Recoveries.Add(seconds);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  claimed again after {seconds:F2} s"));
                }
                catch (TimeoutException)
                {
                    result.NotReclaimed++;
                    Console.WriteLine("  NOT claimed again within 120 s");
                }
            }

            // The freeze: the current runner is paused mid-activation; a second runner takes over once the lease lapses.
            var sleeper = agents.Names[kills];
            await runner.WaitForEventAsync("activation_completed", TimeSpan.FromSeconds(60), l => BotburrowProcess.Field(l, "AgentId") == agents.Names[kills - 1]);
            posts.Add((sleeper, await InProcessFleet.MentionAsync(fleet.Poster, sleeper, "recovery-freeze")));
            await runner.WaitForEventAsync("activation_starting", TimeSpan.FromSeconds(60), l => BotburrowProcess.Field(l, "AgentId") == sleeper);
            await Task.Delay(200);
            var frozenRunner = runner;
            frozenRunner.Signal("STOP");
            var frozenAt = Stopwatch.GetTimestamp();
            Console.WriteLine($"freeze: runner frozen during the activation of {sleeper}");
            runner = StartRunner(childEnv, runners);
            try
            {
                var takenAt = await runner.WaitForEventAsync("activation_starting", TimeSpan.FromSeconds(120), l => BotburrowProcess.Field(l, "AgentId") == sleeper);
                result.FreezeTakeover = Stopwatch.GetElapsedTime(frozenAt, takenAt).TotalSeconds;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  taken over after {result.FreezeTakeover:F2} s; waking the frozen runner"));
            }
            catch (TimeoutException)
            {
                Console.WriteLine("  NOT taken over within 120 s");
            }

            frozenRunner.Signal("CONT");
            frozen = (frozenRunner, Stopwatch.GetTimestamp());
            try
            {
                var lostAt = await frozenRunner.WaitForEventAsync("lease_lost", TimeSpan.FromSeconds(30), l => BotburrowProcess.Field(l, "AgentId") == sleeper);
                result.LeaseLost = true;
                result.WokenStopMs = Stopwatch.GetElapsedTime(frozen.WokenAt, lostAt).TotalMilliseconds;
            }
            catch (TimeoutException)
            {
                Console.WriteLine("  the woken runner logged no lease_lost within 30 s");
            }

            try
            {
                await runner.WaitForEventAsync("activation_completed", TimeSpan.FromSeconds(60), l => BotburrowProcess.Field(l, "AgentId") == sleeper);
            }
            catch (TimeoutException)
            {
                Console.WriteLine("  the takeover did not complete within 60 s");
            }

            (result.Lost, result.Duplicates) = await CountRepliesAsync(fleet.Poster, posts, TimeSpan.FromSeconds(30));

            // Stale writes: work the woken runner did after it woke, and Hub writes carrying its fencing token then.
            var staleToken = frozenRunner.Events("lease_lost").Select(e => BotburrowProcess.Field(e.Line, "FencingToken")).FirstOrDefault(t => t.Length > 0);
            result.StaleWrites = StaleWork.Sum(name => frozenRunner.Events(name).Count(e => e.At > frozen.WokenAt));
            var fencedStale = staleToken is null ? [] : probe.Fenced.Where(f => f.FencingToken == staleToken && f.At > frozen.WokenAt).Select(f => f.Detail).ToList();
            result.FencedStaleWrites = fencedStale.Count;
            result.FencedStaleDetail = string.Join(", ", fencedStale.Distinct(StringComparer.Ordinal));
            result.StaleWrites += result.FencedStaleWrites;
            result.Overlaps = CountOverlaps(runners, killedAt, frozen.Runner, frozen.WokenAt);
            result.Reaped = probe.Count("leases_reaped");
        }
        finally
        {
            foreach (var child in runners)
            {
                await child.DisposeAsync();
            }
        }

        return result;
    }

    /// <summary>
    /// Activations of one agent whose [start, end] intervals intersect, over every runner process: an activation ends
    /// at its end event, or at its runner's SIGKILL. The frozen runner's activation counts as running only from its wake-up
    /// if it did work then (a paused process executes nothing), so its interval is [wake, last work event].
    /// </summary>
    private static int CountOverlaps(List<BotburrowProcess> runners, Dictionary<BotburrowProcess, long> killedAt, BotburrowProcess? frozen, long wokenAt)
    {
        var intervals = new List<(string Agent, long From, long To)>();
        foreach (var runner in runners)
        {
            var ends = EndEvents.SelectMany(runner.Events)
                .GroupBy(e => BotburrowProcess.Field(e.Line, "ActivationId"), StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Min(e => e.At), StringComparer.Ordinal);
            foreach (var (at, line) in runner.Events("activation_starting"))
            {
                var id = BotburrowProcess.Field(line, "ActivationId");
                var agent = BotburrowProcess.Field(line, "AgentId");
                if (runner == frozen && at < wokenAt && (!ends.TryGetValue(id, out var ended) || ended > wokenAt))
                {
                    var work = StaleWork.SelectMany(runner.Events).Where(e => e.At > wokenAt && BotburrowProcess.Field(e.Line, "AgentId") == agent).Select(e => e.At).ToList();
                    if (work.Count > 0)
                    {
                        intervals.Add((agent, wokenAt, work.Max()));
                    }

                    continue;
                }

                var end = ends.TryGetValue(id, out var e) ? e : killedAt.TryGetValue(runner, out var killed) ? killed : long.MaxValue;
                intervals.Add((agent, at, end));
            }
        }

        var overlaps = 0;
        foreach (var group in intervals.GroupBy(i => i.Agent, StringComparer.Ordinal))
        {
            var ordered = group.OrderBy(i => i.From).ToList();
            for (var i = 1; i < ordered.Count; i++)
            {
                if (ordered[i].From < ordered[i - 1].To)
                {
                    overlaps++;
                }
            }
        }

        return overlaps;
    }

    private static BotburrowProcess StartRunner(Dictionary<string, string?> env, List<BotburrowProcess> runners)
    {
        var n = runners.Count.ToString(CultureInfo.InvariantCulture);
        var runner = BotburrowProcess.Start("runner-" + n, ["runner", "--mode", "notification"], new Dictionary<string, string?>(env) { [SettingNames.RunnerId] = "bench-runner-" + n });
        runners.Add(runner);
        return runner;
    }

    private static async Task<(int Lost, int Duplicates)> CountRepliesAsync(IHubClient hub, List<(string Agent, string PostId)> posts, TimeSpan wait)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            int lost = 0, duplicates = 0;
            foreach (var (agent, postId) in posts)
            {
                var post = await hub.GetPostAsync(postId, includeComments: true);
                var mine = post.Comments?.Count(c => c.Author.Id == agent || c.Author.Name == agent) ?? 0;
                if (mine == 0)
                {
                    lost++;
                }
                else if (mine > 1)
                {
                    duplicates += mine - 1;
                }
            }

            if (lost == 0 || Stopwatch.GetElapsedTime(started) > wait)
            {
                return (lost, duplicates);
            }

            await Task.Delay(500);
        }
    }

    private sealed class ModeResult
    {
        public List<double> Recoveries { get; } = [];

        public int NotReclaimed { get; set; }

        public double? FreezeTakeover { get; set; }

        public bool LeaseLost { get; set; }

        public double? WokenStopMs { get; set; }

        public int StaleWrites { get; set; }

        public int FencedStaleWrites { get; set; }

        public string FencedStaleDetail { get; set; } = "";

        public int Overlaps { get; set; }

        public int Lost { get; set; }

        public int Duplicates { get; set; }

        public int Reaped { get; set; }

        public double P99 => Report.Percentile(Recoveries, 99);

        public double Max => Recoveries.Count > 0 ? Recoveries.Max() : 0;

        public bool Met => NotReclaimed == 0 && Recoveries.Count > 0 && P99 <= Target && StaleWrites == 0 && Overlaps == 0 && Lost == 0 && Duplicates == 0;

        public string Row(string name, int kills)
            => string.Create(CultureInfo.InvariantCulture, $"| {name} | {kills} | {Recoveries.Count} | {Report.Percentile(Recoveries, 50):F2} | {P99:F2} | {Max:F2} | {(FreezeTakeover is { } f ? f.ToString("F2", CultureInfo.InvariantCulture) : "—")} | {StaleWrites} | {Overlaps} | {Lost} | {Duplicates} | {(Met ? "met" : "missed")} |");
    }
}
