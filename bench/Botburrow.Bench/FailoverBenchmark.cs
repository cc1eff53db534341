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
/// Targets: crash ≤ 10 s, graceful ≤ 1 s.
/// </summary>
internal static class FailoverBenchmark
{
    public static async Task<int> RunAsync(BenchArgs args)
    {
        var rounds = args.Count ?? (args.Smoke ? 1 : 5);
        var extra = args.Smoke ? new Dictionary<string, string?> { [SettingNames.LeaderLeaseDuration] = "2" } : new Dictionary<string, string?>();
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

        var released = new List<double>();
        var crash = new List<(double Leader, double Enqueue)>();
        var graceful = new List<(double Leader, double Enqueue)>();
        var failures = 0;
        var next = 0;
        // The standby starts only once the first coordinator leads, so which one leads is known.
        var leader = Start(env, next++);
        BotburrowProcess? first = leader;
        await using var firstGuard = new AsyncCleanup(() => first?.DisposeAsync() ?? ValueTask.CompletedTask);
        await leader.WaitForEventAsync("became_leader", TimeSpan.FromSeconds(60));
        var standby = Start(env, next++);
        first = null;
        var agentIndex = 0;
        try
        {
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
                try
                {
                    var becameAt = await standby.WaitForEventAsync("became_leader", TimeSpan.FromSeconds(60));
                    var enqueuedAt = await standby.WaitForEventAsync("work_enqueued", TimeSpan.FromSeconds(60), l => BotburrowProcess.Field(l, "AgentId") == agent);
                    var sample = (Seconds(stoppedAt, becameAt), Seconds(stoppedAt, enqueuedAt));
                    if (!isCrash)
                    {
                        try
                        {
                            released.Add(Seconds(stoppedAt, await leader.WaitForEventAsync("released_leadership", TimeSpan.FromSeconds(30))));
                        }
                        catch (TimeoutException)
                        {
                            Console.WriteLine("the stopping leader logged no released_leadership");
                        }
                    }

                    (isCrash ? crash : graceful).Add(sample);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(isCrash ? "SIGKILL" : "SIGTERM")}: new leader after {sample.Item1:F2} s, first enqueue after {sample.Item2:F2} s"));
                }
                catch (TimeoutException)
                {
                    failures++;
                    Console.WriteLine("no new leader enqueued within 60 s; tail of the standby's log:\n" + standby.Tail);
                }

                if (!isCrash && !await leader.WaitForExitAsync(TimeSpan.FromSeconds(60)))
                {
                    Console.WriteLine("the old leader did not exit within 60 s of SIGTERM");
                }

                await leader.DisposeAsync();
                leader = standby;
                standby = Start(env, next++);
            }
        }
        finally
        {
            await leader.DisposeAsync();
            await standby.DisposeAsync();
        }

        var crashP = Report.Percentile(crash.Select(c => c.Enqueue).ToList(), 100);
        var gracefulP = Report.Percentile(graceful.Select(c => c.Enqueue).ToList(), 100);
        var crashMet = failures == 0 && crash.Count > 0 && crashP <= 10;
        var gracefulMet = failures == 0 && graceful.Count > 0 && gracefulP <= 1;
        var sb = new StringBuilder();
        sb.AppendLine("| stop | rounds | new leader p50 / max s | first enqueue by the new leader p50 / max s | target (max) | result |");
        sb.AppendLine("|---|---:|---:|---:|---:|:---:|");
        sb.AppendLine(Row("SIGKILL (crash)", crash, 10, crashMet));
        sb.AppendLine(Row("SIGTERM (graceful)", graceful, 1, gracefulMet));
        var table = sb.ToString().TrimEnd();
        Console.WriteLine(table);
        Console.WriteLine(crashMet && gracefulMet ? "targets met" : "TARGET MISSED");
        var lease = args.Smoke ? 2.0 : 8.0;
        var notes = new List<string>();
        if (released.Count > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"Graceful stops: SIGTERM → the old leader's `released_leadership` took p50 {Report.Percentile(released, 50):F2} s, max {released.Max():F2} s (its shutdown before the release); the standby's `became_leader` followed {Report.Percentile(graceful.Select(g => g.Leader).ToList(), 50) - Report.Percentile(released, 50):F2} s later at p50."));
        }

        if (!crashMet && crash.Count > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"Crash missed: the survivor can only take the lease when it expires (`LEADER_LEASE_DURATION` {lease:F0} s after the dead leader's last renewal, which came every {lease / 3:F2} s), then at its next attempt (every {lease / 3:F2} s), then its long-poll and enqueue."));
        }

        if (!gracefulMet && graceful.Count > 0)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"Graceful missed: the hand-over is the stopping leader's shutdown until it releases the lease (see the line above), then the wait until the standby's next acquisition attempt, which it makes every `LEADER_LEASE_DURATION`/3 = {lease / 3:F2} s (it is not told of the release), then the Hub long-poll and the enqueue."));
        }

        await Report.AppendAsync(
            args,
            "Two real `botburrow coordinator` child processes (`dotnet src/Botburrow.Cli/bin/Release/net10.0/botburrow.dll coordinator`) share a fresh loopback `redis-server` and the dev Hub (in the benchmark process); one leads, the other stands by. Each round stops the leader — SIGKILL (crash) or SIGTERM (graceful stop, the leader releases its lease) — then a person mentions a new agent at once. Measured from the signal: the survivor's `became_leader` and its first `work_enqueued` for that mention (no runner, so the enqueue is the first dispatch). A fresh standby replaces the stopped coordinator before the next round. Rounds alternate crash and graceful.",
            [string.Create(CultureInfo.InvariantCulture, $"rounds: {rounds} crash + {rounds} graceful; {(args.Smoke ? "smoke lease: `LEADER_LEASE_DURATION=2`" : "default leader lease: `LEADER_LEASE_DURATION=8`, renewed every 8/3 s")}")],
            table,
            crashMet && gracefulMet ? "targets met (crash ≤ 10 s, graceful ≤ 1 s)." : "TARGET MISSED — see the notes below for the measured cause.",
            notes);
        return 0;
    }

    private static string Row(string name, List<(double Leader, double Enqueue)> samples, double target, bool met)
    {
        var leaders = samples.Select(s => s.Leader).ToList();
        var enqueues = samples.Select(s => s.Enqueue).ToList();
        return string.Create(CultureInfo.InvariantCulture, $"| {name} | {samples.Count} | {Report.Percentile(leaders, 50):F2} / {(leaders.Count > 0 ? leaders.Max() : 0):F2} | {Report.Percentile(enqueues, 50):F2} / {(enqueues.Count > 0 ? enqueues.Max() : 0):F2} | ≤ {target:F0} s | {(met ? "met" : "missed")} |");
    }

    private static BotburrowProcess Start(Dictionary<string, string?> env, int n)
        => BotburrowProcess.Start("coordinator-" + n.ToString(CultureInfo.InvariantCulture), ["coordinator"], new Dictionary<string, string?>(env) { [SettingNames.RunnerId] = "bench-coordinator-" + n.ToString(CultureInfo.InvariantCulture) });

    private static double Seconds(long from, long to) => (to - from) / (double)Stopwatch.Frequency;

    private sealed class AsyncCleanup(Func<ValueTask> cleanup) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => cleanup();
    }
}
