using System.Diagnostics;
using System.Globalization;
using System.Text;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.DevHub;

namespace Botburrow.Bench;

/// <summary>
/// Scenario "failover": two real <c>botburrow coordinator</c> child processes on Redis, one leading. Crash: the
/// leader is SIGKILLed, a mention is posted at once, and the time from the kill to the survivor's first
/// <c>work_enqueued</c> (for that mention) is measured; graceful: the leader gets SIGTERM (it releases the lease
/// on its way out) and the same is measured. A fresh standby replaces the stopped one before each round.
/// Run twice in one sitting: before = <c>FAST_FAILURE_DETECTION=false</c> (the lease fallback), after = the default;
/// lost mentions (never enqueued) and duplicate enqueues are counted over every coordinator process.
/// Targets: crash ≤ 2 s, graceful ≤ 0.2 s (first enqueue by the new leader), 0 lost, 0 duplicates.
/// </summary>
internal static class FailoverBenchmark
{
    private const double CrashTarget = 2;
    private const double GracefulTarget = 0.2;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var rounds = args.Count ?? (args.Smoke ? 1 : 3);
        var before = await RunModeAsync(args, rounds, fastDetection: false);
        var after = await RunModeAsync(args, rounds, fastDetection: true);
        var sb = new StringBuilder();
        sb.AppendLine("| mode | stop | rounds | new leader p50 / max s | first enqueue by the new leader p50 / max s | lost | duplicates | target (max) | result |");
        sb.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|:---:|");
        foreach (var (name, mode) in new[] { ("before: `FAST_FAILURE_DETECTION=false`", before), ("after: default", after) })
        {
            sb.AppendLine(Row(name, "SIGKILL (crash)", mode.Crash, mode, CrashTarget, mode.CrashMet));
            sb.AppendLine(Row(name, "SIGTERM (graceful)", mode.Graceful, mode, GracefulTarget, mode.GracefulMet));
        }

        var table = sb.ToString().TrimEnd();
        Console.WriteLine(table);
        var met = after.CrashMet && after.GracefulMet;
        Console.WriteLine(met ? "targets met (after)" : "TARGET MISSED (after)");
        var lease = args.Smoke ? 2.0 : 8.0;
        var notes = new List<string>();
        foreach (var (name, mode) in new[] { ("before", before), ("after", after) })
        {
            if (mode.Released.Count > 0)
            {
                notes.Add(string.Create(CultureInfo.InvariantCulture, $"{name}, graceful stops: SIGTERM → the old leader's `released_leadership` p50 {Report.Percentile(mode.Released, 50):F2} s, max {mode.Released.Max():F2} s; the standby's `became_leader` followed {Report.Percentile(mode.Graceful.Select(g => g.Leader).ToList(), 50) - Report.Percentile(mode.Released, 50):F2} s later at p50."));
            }
        }

        if (!before.CrashMet && before.Crash.Count > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"before, crash: without connection liveness the survivor can only take the lease when it expires (`LEADER_LEASE_DURATION` {lease:F0} s after the dead leader's last renewal, which came every {lease / 3:F2} s), then at its next attempt, then its long-poll and enqueue."));
        }

        if (!after.CrashMet && after.Crash.Count > 0)
        {
            notes.Add("after, crash missed: the time from the kill to `became_leader` is the standby noticing the dead leader's connection is gone (its attempts every 250 ms) and taking the lease; the rest, to `work_enqueued`, is the new leader's first Hub poll after it gains leadership.");
        }

        if (!after.GracefulMet && after.Graceful.Count > 0)
        {
            notes.Add("after, graceful missed: the hand-over is the stopping leader's shutdown until it releases the lease (see the line above), then the standby's next acquisition attempt (every 250 ms; it is not told of the release), then its first Hub poll and the enqueue.");
        }

        await Report.AppendAsync(
            args,
            "Two modes in one run, each on a fresh loopback `redis-server` and dev Hub (in the benchmark process): before = `FAST_FAILURE_DETECTION=false` (the lease fallback, what the code before fast detection did), after = the default. Two real `botburrow coordinator` child processes (`dotnet src/Botburrow.Cli/bin/Release/net10.0/botburrow.dll coordinator`) share them; one leads, the other stands by. Each round stops the leader — SIGKILL (crash) or SIGTERM (graceful stop, the leader releases its lease) — then a person mentions a new agent at once. Measured from the signal: the survivor's `became_leader` and its first `work_enqueued` for that mention (no runner, so the enqueue is the first dispatch). A fresh standby replaces the stopped coordinator before the next round. Rounds alternate crash and graceful. Lost: a mention no coordinator enqueued within 60 s; duplicates: `work_enqueued` lines for one mention beyond the first, over every coordinator process.",
            [string.Create(CultureInfo.InvariantCulture, $"rounds per mode: {rounds} crash + {rounds} graceful; {(args.Smoke ? "smoke lease: `LEADER_LEASE_DURATION=2`" : "default leader lease: `LEADER_LEASE_DURATION=8`, renewed every 8/3 s")}")],
            table,
            met ? "after: targets met (crash ≤ 2 s, graceful ≤ 0.2 s, 0 lost, 0 duplicates)." : "after: TARGET MISSED — see the notes below for the measured cause.",
            notes);
        return 0;
    }

    private static async Task<ModeResult> RunModeAsync(BenchArgs args, int rounds, bool fastDetection)
    {
        Console.WriteLine(fastDetection ? "== after: fast failure detection" : "== before: FAST_FAILURE_DETECTION=false");
        var extra = args.Smoke ? new Dictionary<string, string?> { [SettingNames.LeaderLeaseDuration] = "2" } : new Dictionary<string, string?>();
        extra[SettingNames.FastFailureDetection] = fastDetection ? "true" : "false";
        using var agents = AgentFolder.Create(rounds * 2 + 1);
        await using var redis = await RedisServer.StartAsync();
        await using var hub = await InProcessFleet.StartHubAsync(agents);
        await using var clients = InProcessFleet.HubClients(hub.Url, hub.AdminKey);
        var poster = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Botburrow.Agents.Hub.IHubClient>(clients);
        var env = new Dictionary<string, string?>(extra, StringComparer.Ordinal)
        {
            [SettingNames.HubUrl] = hub.Url.ToString(),
            [SettingNames.HubApiKey] = hub.AdminKey,
            [SettingNames.RedisUrl] = redis.Url,
            [SettingNames.AgentDefinitionsPath] = agents.Root,
            [SettingNames.LogLevel] = "Debug",
        };

        var result = new ModeResult();
        var mentioned = new List<string>();
        var coordinators = new List<BotburrowProcess>();
        var next = 0;
        try
        {
            // The standby starts only once the first coordinator leads, so which one leads is known.
            var leader = Start(env, next++, coordinators);
            await leader.WaitForEventAsync("became_leader", TimeSpan.FromSeconds(60));
            var standby = Start(env, next++, coordinators);
            var agentIndex = 0;
            for (var round = 0; round < rounds * 2; round++)
            {
                var isCrash = round % 2 == 0;
                await standby.WaitForEventAsync("config_cache_prewarmed", TimeSpan.FromSeconds(60));
                await Task.Delay(TimeSpan.FromSeconds(1));
                var agent = agents.Names[agentIndex++];
                var stoppedAt = Stopwatch.GetTimestamp();
                if (isCrash)
                {
                    await leader.KillAsync();
                }
                else
                {
                    leader.Terminate();
                }

                await InProcessFleet.MentionAsync(poster, agent, string.Create(CultureInfo.InvariantCulture, $"failover-{round}"));
                mentioned.Add(agent);
                try
                {
                    var becameAt = await standby.WaitForEventAsync("became_leader", TimeSpan.FromSeconds(60));
                    var enqueuedAt = await standby.WaitForEventAsync("work_enqueued", TimeSpan.FromSeconds(60), l => BotburrowProcess.Field(l, "AgentId") == agent);
                    var sample = (Seconds(stoppedAt, becameAt), Seconds(stoppedAt, enqueuedAt));
                    if (!isCrash)
                    {
                        try
                        {
                            result.Released.Add(Seconds(stoppedAt, await leader.WaitForEventAsync("released_leadership", TimeSpan.FromSeconds(30))));
                        }
                        catch (TimeoutException)
                        {
                            Console.WriteLine("the stopping leader logged no released_leadership");
                        }
                    }

                    (isCrash ? result.Crash : result.Graceful).Add(sample);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(isCrash ? "SIGKILL" : "SIGTERM")}: new leader after {sample.Item1:F2} s, first enqueue after {sample.Item2:F2} s"));
                }
                catch (TimeoutException)
                {
                    result.Failures++;
                    Console.WriteLine("no new leader enqueued within 60 s; tail of the standby's log:\n" + standby.Tail);
                }

                if (!isCrash && !await leader.WaitForExitAsync(TimeSpan.FromSeconds(60)))
                {
                    Console.WriteLine("the old leader did not exit within 60 s of SIGTERM");
                }

                leader = standby;
                standby = Start(env, next++, coordinators);
            }

            // Let a late second enqueue show before counting.
            await Task.Delay(TimeSpan.FromSeconds(2));
            foreach (var agent in mentioned)
            {
                var enqueued = coordinators.Sum(c => c.Events("work_enqueued").Count(e => BotburrowProcess.Field(e.Line, "AgentId") == agent));
                if (enqueued == 0)
                {
                    result.Lost++;
                }
                else
                {
                    result.Duplicates += enqueued - 1;
                }
            }
        }
        finally
        {
            foreach (var coordinator in coordinators)
            {
                await coordinator.DisposeAsync();
            }
        }

        return result;
    }

    private static string Row(string mode, string name, List<(double Leader, double Enqueue)> samples, ModeResult result, double target, bool met)
    {
        var leaders = samples.Select(s => s.Leader).ToList();
        var enqueues = samples.Select(s => s.Enqueue).ToList();
        return string.Create(CultureInfo.InvariantCulture, $"| {mode} | {name} | {samples.Count} | {Report.Percentile(leaders, 50):F2} / {(leaders.Count > 0 ? leaders.Max() : 0):F2} | {Report.Percentile(enqueues, 50):F2} / {(enqueues.Count > 0 ? enqueues.Max() : 0):F2} | {result.Lost} | {result.Duplicates} | ≤ {target:F1} s | {(met ? "met" : "missed")} |");
    }

    private static BotburrowProcess Start(Dictionary<string, string?> env, int n, List<BotburrowProcess> started)
    {
        var process = BotburrowProcess.Start("coordinator-" + n.ToString(CultureInfo.InvariantCulture), ["coordinator"], new Dictionary<string, string?>(env) { [SettingNames.RunnerId] = "bench-coordinator-" + n.ToString(CultureInfo.InvariantCulture) });
        started.Add(process);
        return process;
    }

    private static double Seconds(long from, long to) => (to - from) / (double)Stopwatch.Frequency;

    private sealed class ModeResult
    {
        public List<double> Released { get; } = [];

        public List<(double Leader, double Enqueue)> Crash { get; } = [];

        public List<(double Leader, double Enqueue)> Graceful { get; } = [];

        public int Failures { get; set; }

        public int Lost { get; set; }

        public int Duplicates { get; set; }

        public bool CrashMet => Failures == 0 && Lost == 0 && Duplicates == 0 && Crash.Count > 0 && Crash.Max(c => c.Enqueue) <= CrashTarget;

        public bool GracefulMet => Failures == 0 && Lost == 0 && Duplicates == 0 && Graceful.Count > 0 && Graceful.Max(c => c.Enqueue) <= GracefulTarget;
    }
}
