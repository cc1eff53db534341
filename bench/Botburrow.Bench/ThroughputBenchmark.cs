using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Hub;
using Microsoft.Extensions.DependencyInjection;

namespace Botburrow.Bench;

/// <summary>
/// Scenario "throughput": a burst of N mentions at once to N agents (default 1000, <c>--count</c> lowers it), answered
/// by a real <c>botburrow coordinator</c> and two real <c>botburrow runner</c> child processes (one slot each,
/// <c>SCRIPTED_BRAIN=offline</c>, default log level) against the dev Hub (in this process, over HTTP) and a fresh
/// loopback <c>redis-server</c>. Reports activations per second, CPU (utime + stime from <c>/proc/PID/stat</c>)
/// per activation of each process, Hub requests per activation by endpoint (the dev Hub counts them) and Redis
/// commands per activation (<c>INFO commandstats</c>), all measured from just before the burst until its last
/// mention is answered. <c>--baseline DLL</c> runs another build first, in the same run, for a before/after table.
/// Targets: runner ≤ 2 ms CPU per activation, coordinator ≤ 0.25 ms per notification, ≤ 1 budget-health call and
/// ≤ 1 notification listing per activation, and (with a baseline) at least 3× the baseline's activations/s.
/// </summary>
internal static partial class ThroughputBenchmark
{
    private const double RunnerTarget = 2;
    private const double CoordinatorTarget = 0.25;
    private const double SpeedupTarget = 3;
    private const string BudgetRoute = "GET /api/v1/system/budget-health";
    private const string ListingRoute = "GET /api/v1/notifications";
    private const string Coordinator = "coordinator";
    private const string Runners = "runners";

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var n = args.Count ?? (args.Smoke ? 20 : 1000);
        var warmup = args.Smoke ? 0 : 200;
        var loadBefore = Report.LoadAverage();
        var variants = new List<(string Label, string Cli)>();
        if (args.BaselineCli is { } baseline)
        {
            variants.Add(("before", File.Exists(baseline) ? baseline : throw new FileNotFoundException("the --baseline build's botburrow.dll is missing", baseline)));
        }

        variants.Add((args.BaselineCli is null ? "this build" : "after", BotburrowProcess.CliAssembly));
        var results = new List<Result>();
        foreach (var (label, cli) in variants)
        {
            Console.WriteLine($"{label}: {cli}");
            var result = await RunOnceAsync(label, cli, n, warmup, args.TraceDirectory);
            results.Add(result);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {result.Activations} activations in {result.Seconds:F2} s = {result.PerSecond:F1}/s; coordinator {result.CoordinatorMsPerNotification:F2} ms/notification, runners {result.RunnerMsPerActivation:F2} ms/activation"));
        }

        var table = Table(results);
        Console.WriteLine();
        Console.WriteLine(table);
        var after = results[^1];
        var checks = new List<(string Target, bool Met, string Value)>
        {
            ("runner ≤ 2 ms CPU per activation", after.RunnerMsPerActivation <= RunnerTarget, Report.F(after.RunnerMsPerActivation, "F2") + " ms"),
            ("coordinator ≤ 0.25 ms CPU per notification", after.CoordinatorMsPerNotification <= CoordinatorTarget, Report.F(after.CoordinatorMsPerNotification, "F2") + " ms"),
            ("≤ 1 budget-health call per activation by the coordinator", after.HubPerActivation(Coordinator, BudgetRoute) <= 1, Report.F(after.HubPerActivation(Coordinator, BudgetRoute), "F2")),
            ("≤ 1 budget-health call per activation by the runners", after.HubPerActivation(Runners, BudgetRoute) <= 1, Report.F(after.HubPerActivation(Runners, BudgetRoute), "F2")),
            ("≤ 1 notification listing per activation by the coordinator", after.HubPerActivation(Coordinator, ListingRoute) <= 1, Report.F(after.HubPerActivation(Coordinator, ListingRoute), "F2")),
            ("≤ 1 notification listing per activation by the runners", after.HubPerActivation(Runners, ListingRoute) <= 1, Report.F(after.HubPerActivation(Runners, ListingRoute), "F2")),
        };
        if (results.Count > 1)
        {
            var speedup = after.PerSecond / results[0].PerSecond;
            checks.Add(("≥ 3× the baseline's activations/s", speedup >= SpeedupTarget, Report.F(speedup, "F2") + "×"));
        }

        foreach (var (target, met, value) in checks)
        {
            Console.WriteLine($"{(met ? "met" : "MISSED")}: {target} ({value})");
        }

        await Report.AppendAsync(
            args,
            "A burst of N mentions, posted at once (16 in parallel) to N agents, answered by a real `botburrow coordinator` and two real `botburrow runner --mode notification` child processes (`MAX_CONCURRENT_ACTIVATIONS=1` each, `SCRIPTED_BRAIN=offline`, default log level, JSON logs) against the dev Hub (in the benchmark process, over loopback HTTP) and a fresh loopback `redis-server`. Everything is measured from just before the first mention until the runners have posted the last reply: CPU is utime + stime of each child from `/proc/PID/stat`, Hub calls are the dev Hub's request counts per route and caller (the coordinator is given the Hub as `localhost`, the runners and the benchmark's own posts as `127.0.0.1`), Redis commands the difference of `INFO commandstats`. CPU per unit of work is robust to other load on the machine; the wall-clock rate is not.",
            [
                "load average before the run: " + loadBefore,
                string.Create(CultureInfo.InvariantCulture, $"N = {n}, after a warm-up burst of {warmup} mentions to other agents (not measured: it JIT-compiles the activation path, which the first activations of a process pay once); variants in this run: {string.Join(", ", variants.Select(v => v.Label + " (`" + Path.GetRelativePath(Report.FindRoot(), v.Cli) + "`)"))}"),
            ],
            table,
            string.Join("; ", checks.Select(c => $"{c.Target}: {(c.Met ? "met" : "missed")} ({c.Value})")) + ".",
            ["The runners' `POST /api/v1/posts` row is the N mentions the benchmark itself posts (1 per activation).", "Redis counts include the commands run inside the Lua scripts (`evalsha`)."]);
        return 0;
    }

    private static async Task<Result> RunOnceAsync(string label, string cli, int n, int warmup, string? traceDirectory)
    {
        using var agents = AgentFolder.Create(n + warmup, "tp");
        await using var redis = await RedisServer.StartAsync();
        await using var hub = await InProcessFleet.StartHubAsync(agents);
        await using var clients = InProcessFleet.HubClients(hub.Url, hub.AdminKey);
        var poster = clients.GetRequiredService<IHubClient>();
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [SettingNames.HubUrl] = hub.Url.ToString(),
            [SettingNames.HubApiKey] = hub.AdminKey,
            [SettingNames.RedisUrl] = redis.Url,
            [SettingNames.AgentDefinitionsPath] = agents.Root,
            [SettingNames.ScriptedBrain] = "offline",
            [SettingNames.MaxConcurrentActivations] = "1",
        };
        // The coordinator reaches the Hub by another host name, so the Hub's counts tell its calls from the runners'.
        var coordinatorUrl = new UriBuilder(hub.Url) { Host = "localhost" }.Uri.ToString();
        await using var coordinator = BotburrowProcess.Start("coordinator", cli, ["coordinator"], new Dictionary<string, string?>(env) { [SettingNames.RunnerId] = "tp-coordinator", [SettingNames.HubUrl] = coordinatorUrl });
        await using var runner0 = BotburrowProcess.Start("runner-0", cli, ["runner", "--mode", "notification"], new Dictionary<string, string?>(env) { [SettingNames.RunnerId] = "tp-runner-0" });
        await using var runner1 = BotburrowProcess.Start("runner-1", cli, ["runner", "--mode", "notification"], new Dictionary<string, string?>(env) { [SettingNames.RunnerId] = "tp-runner-1" });
        BotburrowProcess[] runners = [runner0, runner1];
        var ready = TimeSpan.FromSeconds(120);
        await coordinator.WaitForEventAsync("became_leader", ready);
        await coordinator.WaitForEventAsync("config_cache_prewarmed", ready);
        await Task.WhenAll(runners.Select(r => r.WaitForEventAsync("runner_started", ready)));

        if (warmup > 0)
        {
            await MentionAllAsync(poster, agents.Names.Skip(n), "warm");
            await WaitForRepliesAsync(label + " warm-up", runners, coordinator, warmup, 0);
        }

        // Let start-up work (tiered JIT, first polls) settle so the window holds the burst only.
        await Task.Delay(TimeSpan.FromSeconds(3));
        var cpuBefore = new[] { coordinator.CpuSeconds(), runner0.CpuSeconds(), runner1.CpuSeconds() };
        var hubBefore = hub.RequestCounts;
        var redisBefore = await CommandStatsAsync(redis.Port);
        var started = Stopwatch.GetTimestamp();
        var traces = traceDirectory is null ? [] : StartTraces(traceDirectory, label, coordinator, runner0);
        await MentionAllAsync(poster, agents.Names.Take(n), "burst");
        var posted = Stopwatch.GetElapsedTime(started);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {n} mentions posted in {posted.TotalSeconds:F2} s"));
        await WaitForRepliesAsync(label, runners, coordinator, n, started);

        var cpuAfter = new[] { coordinator.CpuSeconds(), runner0.CpuSeconds(), runner1.CpuSeconds() };
        var hubAfter = hub.RequestCounts;
        var redisAfter = await CommandStatsAsync(redis.Port);
        var completions = runners.SelectMany(r => r.Events("activation_completed")).Where(e => e.At >= started).ToList();
        var failures = runners.Sum(r => r.Events("activation_failed").Count(e => e.At >= started));
        var seconds = (completions.Max(e => e.At) - started) / (double)Stopwatch.Frequency;
        foreach (var trace in traces)
        {
            await trace.WaitForExitAsync();
            trace.Dispose();
        }

        return new Result
        {
            Label = label,
            Mentions = n,
            Activations = completions.Count + failures,
            Failed = failures,
            Seconds = seconds,
            CoordinatorCpu = cpuAfter[0] - cpuBefore[0],
            RunnerCpu = [cpuAfter[1] - cpuBefore[1], cpuAfter[2] - cpuBefore[2]],
            HubCalls = ByCaller(Difference(hubBefore, hubAfter)),
            RedisCalls = Difference(redisBefore, redisAfter),
        };
    }

    private static Task MentionAllAsync(IHubClient poster, IEnumerable<string> agents, string tag)
        => Parallel.ForEachAsync(
            agents,
            new ParallelOptions { MaxDegreeOfParallelism = 16 },
            async (agent, _) => await InProcessFleet.MentionAsync(poster, agent, tag + "-" + agent));

    /// <summary>Waits until the runners have posted <paramref name="count"/> replies in activations completed since <paramref name="since"/>.</summary>
    private static async Task WaitForRepliesAsync(string label, BotburrowProcess[] runners, BotburrowProcess coordinator, int count, long since)
    {
        var lastProgress = Stopwatch.GetTimestamp();
        var replies = 0;
        while (true)
        {
            var now = runners.Sum(r => r.Events("activation_completed").Where(e => e.At >= since).Sum(e => Replies(e.Line)));
            if (now >= count)
            {
                return;
            }

            if (now != replies)
            {
                replies = now;
                lastProgress = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"{label}: no reply for 60 s with {replies}/{count} posted; coordinator:\n{coordinator.Tail}\nrunner-0:\n{runners[0].Tail}");
            }

            await Task.Delay(50);
        }
    }

    private static List<Process> StartTraces(string directory, string label, params BotburrowProcess[] processes)
    {
        Directory.CreateDirectory(directory);
        var tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-trace");
        var traces = new List<Process>();
        foreach (var process in processes)
        {
            var start = new ProcessStartInfo(File.Exists(tool) ? tool : "dotnet-trace") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardInput = true };
            foreach (var arg in new[] { "collect", "--process-id", process.Pid.ToString(CultureInfo.InvariantCulture), "--duration", "00:00:00:06", "--output", Path.Combine(directory, $"{label.Replace(' ', '-')}-{process.Name}.nettrace") })
            {
                start.ArgumentList.Add(arg);
            }

            var trace = Process.Start(start) ?? throw new InvalidOperationException("dotnet-trace did not start");
            trace.OutputDataReceived += (_, _) => { };
            trace.BeginOutputReadLine();
            traces.Add(trace);
        }

        // dotnet-trace needs a moment to attach; the burst that follows is what it records.
        Thread.Sleep(1500);
        return traces;
    }

    private static int Replies(System.Text.Json.JsonElement line)
        => int.TryParse(BotburrowProcess.Field(line, "Replies"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var replies) ? replies : 0;

    /// <summary>"host METHOD /route" → "coordinator|runners METHOD /route".</summary>
    private static Dictionary<string, long> ByCaller(Dictionary<string, long> counts)
        => counts.GroupBy(kv => (kv.Key.StartsWith("localhost", StringComparison.Ordinal) ? Coordinator : Runners) + kv.Key[kv.Key.IndexOf(' ', StringComparison.Ordinal)..])
            .ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value), StringComparer.Ordinal);

    private static Dictionary<string, long> Difference(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after)
        => after.Select(kv => (kv.Key, Value: kv.Value - before.GetValueOrDefault(kv.Key))).Where(kv => kv.Value > 0).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);

    /// <summary>Calls per command from <c>INFO commandstats</c> (the INFO calls themselves excluded).</summary>
    private static async Task<Dictionary<string, long>> CommandStatsAsync(int port)
    {
        var start = new ProcessStartInfo("redis-cli") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-p", port.ToString(CultureInfo.InvariantCulture), "info", "commandstats" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-cli did not start");
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return CommandStat().Matches(text)
            .Where(m => m.Groups[1].Value != "info")
            .ToDictionary(m => m.Groups[1].Value, m => long.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), StringComparer.Ordinal);
    }

    private static string Table(List<Result> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| per the burst | " + string.Join(" | ", results.Select(r => r.Label)) + " |");
        sb.AppendLine("|---|" + string.Concat(results.Select(_ => "---:|")));
        void Row(string name, Func<Result, string> value) => sb.AppendLine($"| {name} | {string.Join(" | ", results.Select(value))} |");
        Row("mentions answered", r => r.Mentions.ToString(CultureInfo.InvariantCulture));
        Row("activations (failed)", r => string.Create(CultureInfo.InvariantCulture, $"{r.Activations} ({r.Failed})"));
        Row("wall time, first mention to last reply", r => Report.F(r.Seconds, "F2") + " s");
        Row("**activations/s**", r => "**" + Report.F(r.PerSecond, "F1") + "**");
        Row("**coordinator CPU per notification**", r => "**" + Report.F(r.CoordinatorMsPerNotification, "F2") + " ms**");
        Row("**runner CPU per activation** (both runners)", r => "**" + Report.F(r.RunnerMsPerActivation, "F2") + " ms**");
        Row("runner-0 / runner-1 CPU", r => string.Create(CultureInfo.InvariantCulture, $"{r.RunnerCpu[0]:F2} s / {r.RunnerCpu[1]:F2} s"));
        foreach (var key in results.SelectMany(r => r.HubCalls.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            var space = key.IndexOf(' ', StringComparison.Ordinal);
            Row($"Hub `{key[(space + 1)..]}` per activation, {key[..space]}", r => Report.F(r.HubCalls.GetValueOrDefault(key) / (double)r.Activations, "F2"));
        }

        Row("Hub requests per activation, all", r => Report.F(r.HubCalls.Values.Sum() / (double)r.Activations, "F2"));
        // Commands a script runs are counted too; rare ones (below 0.5 per activation everywhere) only in the total.
        foreach (var command in results.SelectMany(r => r.RedisCalls.Keys).Distinct().Order(StringComparer.Ordinal).Where(c => results.Any(r => r.RedisCalls.GetValueOrDefault(c) >= 0.5 * r.Activations)))
        {
            Row($"Redis `{command}` per activation", r => Report.F(r.RedisCalls.GetValueOrDefault(command) / (double)r.Activations, "F2"));
        }

        Row("Redis commands per activation, all", r => Report.F(r.RedisCalls.Values.Sum() / (double)r.Activations, "F2"));
        return sb.ToString().TrimEnd();
    }

    [GeneratedRegex(@"cmdstat_([a-z|_]+):calls=(\d+)")]
    private static partial Regex CommandStat();

    private sealed record Result
    {
        public required string Label { get; init; }

        public required int Mentions { get; init; }

        public required int Activations { get; init; }

        public required int Failed { get; init; }

        public required double Seconds { get; init; }

        public required double CoordinatorCpu { get; init; }

        public required double[] RunnerCpu { get; init; }

        public required Dictionary<string, long> HubCalls { get; init; }

        public required Dictionary<string, long> RedisCalls { get; init; }

        public double PerSecond => Activations / Seconds;

        public double CoordinatorMsPerNotification => CoordinatorCpu * 1000 / Mentions;

        public double RunnerMsPerActivation => RunnerCpu.Sum() * 1000 / Activations;

        public double HubPerActivation(string caller, string route) => HubCalls.GetValueOrDefault(caller + " " + route) / (double)Activations;
    }
}
