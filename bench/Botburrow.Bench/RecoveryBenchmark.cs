using System.Diagnostics;
using System.Globalization;
using System.Text;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Hub;

namespace Botburrow.Bench;

/// <summary>
/// Scenario "recovery": a real <c>botburrow runner</c> child process is SIGKILLed while an activation runs
/// (scripted brain with a delay), and the time until a fresh runner starts the same item again is measured from
/// the kill to that runner's <c>activation_starting</c>. The coordinator (leader, reaper) and the dev Hub run in
/// this process on Redis. At the end every mention's thread on the Hub must hold exactly one reply: none is a
/// lost item, two or more a duplicate post. Target: p99 ≤ 20 s with default leases; 0 lost; 0 duplicates.
/// </summary>
internal static class RecoveryBenchmark
{
    private const double Target = 20;
    private const int DelayMs = 3000;

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var kills = args.Count ?? (args.Smoke ? 2 : 20);
        var leases = args.Smoke
            ? new Dictionary<string, string?> { [SettingNames.LeaseDuration] = "3", [SettingNames.HeartbeatInterval] = "1", [SettingNames.ReapInterval] = "1" }
            : new Dictionary<string, string?>();
        var leaseText = args.Smoke ? "smoke leases: 3 s lease, 1 s heartbeat, 1 s reap" : "default leases: 15 s lease, 5 s heartbeat, 5 s reap";
        using var agents = AgentFolder.Create(kills);
        var script = agents.WriteScript(DelayMs);
        await using var redis = await RedisServer.StartAsync();
        var probe = new EventProbe("leases_reaped");
        var env = new Dictionary<string, string?>(leases, StringComparer.Ordinal)
        {
            [SettingNames.RedisUrl] = redis.Url,
            [SettingNames.RunnerId] = "bench-coordinator",
            [SettingNames.ScriptedBrain] = script,
        };
        await using var fleet = await InProcessFleet.StartAsync(agents, probe, env, coordinator: true, runner: false);
        var childEnv = new Dictionary<string, string?>(leases, StringComparer.Ordinal)
        {
            [SettingNames.HubUrl] = fleet.Hub.Url.ToString(),
            [SettingNames.HubApiKey] = fleet.Hub.AdminKey,
            [SettingNames.RedisUrl] = redis.Url,
            [SettingNames.AgentDefinitionsPath] = agents.Root,
            [SettingNames.ScriptedBrain] = script,
            [SettingNames.MaxConcurrentActivations] = "1",
        };

        var recoveries = new List<double>();
        var attempts = new List<int>();
        var posts = new List<(string Agent, string PostId)>();
        var notReclaimed = 0;
        var runner = StartRunner(childEnv, 0);
        try
        {
            await runner.WaitForEventAsync("runner_started", TimeSpan.FromSeconds(60));
            for (var k = 0; k < kills; k++)
            {
                var agent = agents.Names[k];
                posts.Add((agent, await InProcessFleet.MentionAsync(fleet.Poster, agent, "recovery-" + k.ToString(CultureInfo.InvariantCulture))));
                await runner.WaitForEventAsync("activation_starting", TimeSpan.FromSeconds(60), l => BotburrowProcess.Field(l, "AgentId") == agent);
                await Task.Delay(200);
                var killedAt = Stopwatch.GetTimestamp();
                await runner.KillAsync();
                await runner.DisposeAsync();
                Console.WriteLine($"kill {k + 1}/{kills}: runner killed during the activation of {agent}");
                runner = StartRunner(childEnv, k + 1);
                try
                {
                    var reclaimedAt = await runner.WaitForEventAsync("activation_starting", TimeSpan.FromSeconds(120), l => BotburrowProcess.Field(l, "AgentId") == agent);
                    var seconds = (reclaimedAt - killedAt) / (double)Stopwatch.Frequency;
                    recoveries.Add(seconds);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  claimed again after {seconds:F2} s"));
                }
                catch (TimeoutException)
                {
                    notReclaimed++;
                    Console.WriteLine("  NOT claimed again within 120 s");
                }
            }

            // The last runner finishes the last item; then every thread must hold exactly one reply.
            try
            {
                await runner.WaitForEventAsync("activation_completed", TimeSpan.FromSeconds(60), l => BotburrowProcess.Field(l, "AgentId") == agents.Names[kills - 1]);
            }
            catch (TimeoutException)
            {
                Console.WriteLine("the last item did not complete within 60 s");
            }
        }
        finally
        {
            await runner.DisposeAsync();
        }

        var (lost, duplicates, replies) = await CountRepliesAsync(fleet.Poster, posts, TimeSpan.FromSeconds(30));
        var p50 = Report.Percentile(recoveries, 50);
        var p99 = Report.Percentile(recoveries, 99);
        var met = notReclaimed == 0 && recoveries.Count > 0 && p99 <= Target && lost == 0 && duplicates == 0;
        var sb = new StringBuilder();
        sb.AppendLine("| kills | claimed again | recovery p50 s | p99 s | min s | max s | lost items | duplicate posts | replies on the Hub | target | result |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|:---:|");
        sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {kills} | {recoveries.Count} | {p50:F2} | {p99:F2} | {(recoveries.Count > 0 ? recoveries.Min() : 0):F2} | {(recoveries.Count > 0 ? recoveries.Max() : 0):F2} | {lost} | {duplicates} | {replies} | p99 ≤ 20 s, 0 lost, 0 duplicates | {(met ? "met" : "missed")} |"));
        var table = sb.ToString().TrimEnd();
        Console.WriteLine(table);
        Console.WriteLine(met ? "target met" : "TARGET MISSED");
        var notes = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture, $"The reaper requeued or dead-lettered expired leases {probe.Count("leases_reaped")} time(s) (`leases_reaped` events of the in-process leader)."),
        };
        if (!met)
        {
            notes.Add(p99 > Target
                ? string.Create(CultureInfo.InvariantCulture, $"Missed: p99 {p99:F2} s. Recovery is bounded by the lease, not by the runner: the killed runner's last heartbeat renewed the lease for 15 s, the item becomes reclaimable only when it expires (10–15 s after the kill, depending on where in the 5 s heartbeat cycle the kill fell), then waits for the next 5 s reap pass, then for a runner's claim.")
                : "Missed: items were lost or posted twice (see the table).");
        }

        await Report.AppendAsync(
            args,
            "A real `botburrow runner` child process (`dotnet src/Botburrow.Cli/bin/Release/net10.0/botburrow.dll runner`, one slot) is SIGKILLed 200 ms into an activation whose scripted model answers after 3 s; a fresh runner process is started at once, and the time from the kill to its `activation_starting` for the same agent is the recovery time (it includes that runner's start, which is far shorter than the lease). The coordinator (leader and reaper) and the dev Hub run in the benchmark process on a fresh loopback `redis-server`. Each kill uses a new agent and mention; at the end every mention's thread on the Hub is read back: no reply by the agent is a lost item, more than one a duplicate post.",
            [leaseText, string.Create(CultureInfo.InvariantCulture, $"kills: {kills}; scripted brain: one turn with `delay_ms` {DelayMs}")],
            table,
            met ? "target met (p99 ≤ 20 s, 0 lost, 0 duplicates)." : "TARGET MISSED — see the notes below for the measured cause.",
            notes);
        return 0;
    }

    private static BotburrowProcess StartRunner(Dictionary<string, string?> env, int n)
        => BotburrowProcess.Start("runner-" + n.ToString(CultureInfo.InvariantCulture), ["runner", "--mode", "notification"], new Dictionary<string, string?>(env) { [SettingNames.RunnerId] = "bench-runner-" + n.ToString(CultureInfo.InvariantCulture) });

    private static async Task<(int Lost, int Duplicates, int Replies)> CountRepliesAsync(IHubClient hub, List<(string Agent, string PostId)> posts, TimeSpan wait)
    {
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            int lost = 0, duplicates = 0, replies = 0;
            foreach (var (agent, postId) in posts)
            {
                var post = await hub.GetPostAsync(postId, includeComments: true);
                var mine = post.Comments?.Count(c => c.Author.Id == agent || c.Author.Name == agent) ?? 0;
                replies += mine;
                if (mine == 0)
                {
                    lost++;
                }
                else if (mine > 1)
                {
                    duplicates++;
                }
            }

            if (lost == 0 || Stopwatch.GetElapsedTime(started) > wait)
            {
                return (lost, duplicates, replies);
            }

            await Task.Delay(500);
        }
    }
}
