using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Botburrow.Agents.Redis;
using Botburrow.Agents.Work;

namespace Botburrow.Bench;

/// <summary>
/// Scenario "dispatch": full work cycles per second (enqueue with dedup + claim + complete, three Lua scripts; the
/// claim is pipelined behind the enqueue, the complete awaits the claim) at
/// 1, 4 and 16 concurrent claimers on one shared multiplexer, next to <c>redis-benchmark -t lpush,rpop</c> at the
/// same client counts against the same server. The raw rate of one cycle is an LPUSH plus an RPOP:
/// <c>1 / (1/lpush + 1/rpop)</c>; the target is a dispatch rate of at least 25% of it.
/// </summary>
internal static partial class DispatchBenchmark
{
    private const double Target = 0.25;
    private static readonly int[] ClientCounts = [1, 4, 16];

    public static async Task<int> RunAsync(BenchArgs args)
    {
        var smoke = args.Smoke;
        var duration = smoke ? TimeSpan.FromSeconds(0.5) : TimeSpan.FromSeconds(8);
        var requests = smoke ? 5_000 : 200_000;
        await using var server = await RedisServer.StartAsync();
        await using var connection = await RedisConnection.ConnectAsync(server.Url);
        var results = new List<(int Clients, double Dispatch, double Lpush, double Rpop)>();
        foreach (var clients in ClientCounts)
        {
            var (lpush, rpop) = await RawAsync(server.Port, clients, requests);
            var dispatch = await DispatchAsync(connection, clients, duration);
            results.Add((clients, dispatch, lpush, rpop));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"clients={clients}: dispatch {dispatch:F0} cycles/s, lpush {lpush:F0}/s, rpop {rpop:F0}/s"));
        }

        // Server-side cost per script, to tell server time from client and scheduling time.
        var info = await VersionAsync("redis-cli", string.Create(CultureInfo.InvariantCulture, $"-p {server.Port} info commandstats"));
        var evalsha = info.Split('\n').FirstOrDefault(l => l.StartsWith("cmdstat_evalsha:", StringComparison.Ordinal))?.Trim() ?? "cmdstat_evalsha: (none)";
        Console.WriteLine(evalsha);

        var table = Table(results);
        Console.WriteLine();
        Console.WriteLine(table);
        var pass = results.All(r => r.Dispatch / Pair(r.Lpush, r.Rpop) >= Target);
        Console.WriteLine(pass ? "target met: dispatch >= 25% of the raw LPUSH+RPOP rate at every client count" : "TARGET MISSED at some client count");
        await AppendToDocsAsync(args, table, requests, duration, pass, evalsha);

        return 0;
    }

    private static double Pair(double lpush, double rpop) => 1 / ((1 / lpush) + (1 / rpop));

    private static async Task<double> DispatchAsync(RedisConnection connection, int clients, TimeSpan duration)
    {
        var queue = new RedisWorkQueue(connection, new WorkQueueOptions { KeyPrefix = $"bench:{clients}:{Guid.NewGuid():N}:" });
        var lease = await queue.TryAcquireOrRenewAsync("bench", TimeSpan.FromMinutes(10)) ?? throw new InvalidOperationException("could not lead");
        long cycles = 0;
        var measuring = false;
        using var stop = new CancellationTokenSource();

        // Each claimer plays both sides of one cycle: the coordinator's enqueue (with dedup and the epoch check) and,
        // pipelined behind it on the shared connection, the runner's claim; then the runner's complete. Agents are
        // distinct per claimer, so every enqueue is a real one.
        var workers = Enumerable.Range(0, clients).Select(n => Task.Run(async () =>
        {
            var i = 0L;
            while (!stop.IsCancellationRequested)
            {
                var item = new WorkItem { AgentId = string.Create(CultureInfo.InvariantCulture, $"agent-{n}-{i++}"), TaskType = TaskType.Inbox, Priority = WorkPriority.High };
                var enqueue = queue.EnqueueAsync(item, lease.Epoch);
                var claim = queue.TryClaimAsync($"runner-{n}", RunnerMode.Notification);
                await enqueue;
                var claimed = await claim;
                if (claimed is null)
                {
                    continue;
                }

                await queue.CompleteAsync(claimed, WorkOutcome.Succeeded);
                if (Volatile.Read(ref measuring))
                {
                    Interlocked.Increment(ref cycles);
                }
            }
        })).ToArray();

        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Volatile.Write(ref measuring, true);
        var clock = Stopwatch.StartNew();
        await Task.Delay(duration);
        Volatile.Write(ref measuring, false);
        var elapsed = clock.Elapsed;
        var counted = Interlocked.Read(ref cycles);
        await stop.CancelAsync();
        await Task.WhenAll(workers);
        return counted / elapsed.TotalSeconds;
    }

    private static async Task<(double Lpush, double Rpop)> RawAsync(int port, int clients, int requests)
    {
        var start = new ProcessStartInfo("redis-benchmark") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in RawArguments(port, clients, requests))
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("redis-benchmark did not start");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        double Rate(string name)
        {
            var matches = RateRegex().Matches(output).Where(m => m.Groups[1].Value == name).ToList();
            return matches.Count > 0
                ? double.Parse(matches[^1].Groups[2].Value, CultureInfo.InvariantCulture)
                : throw new InvalidOperationException($"no {name} rate in redis-benchmark output: {output}");
        }

        return (Rate("LPUSH"), Rate("RPOP"));
    }

    private static string[] RawArguments(int port, int clients, int requests)
        => ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-t", "lpush,rpop", "-c", clients.ToString(CultureInfo.InvariantCulture), "-n", requests.ToString(CultureInfo.InvariantCulture), "-q"];

    private static string Table(List<(int Clients, double Dispatch, double Lpush, double Rpop)> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| claimers / clients | dispatch cycles/s | redis-benchmark LPUSH/s | RPOP/s | raw LPUSH+RPOP pairs/s | ratio | target ≥ 25% |");
        sb.AppendLine("|---:|---:|---:|---:|---:|---:|:---:|");
        foreach (var (clients, dispatch, lpush, rpop) in results)
        {
            var pair = Pair(lpush, rpop);
            var ratio = dispatch / pair;
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {clients} | {dispatch:N0} | {lpush:N0} | {rpop:N0} | {pair:N0} | {ratio:P0} | {(ratio >= Target ? "met" : "missed")} |"));
        }

        return sb.ToString().TrimEnd();
    }

    private static async Task AppendToDocsAsync(BenchArgs args, string table, int requests, TimeSpan duration, bool pass, string evalsha)
    {
        var redisVersion = await VersionAsync("redis-server", "--version");
        await Report.AppendAsync(
            args,
            "Full work cycles per second against `redis-benchmark -t lpush,rpop` at the same client counts, on the same freshly started loopback `redis-server`, in the same run. One cycle is three Lua scripts on the one shared multiplexer: each claimer enqueues an item for a new agent (dedup, backoff and epoch checks), claims with the claim pipelined behind that enqueue, then awaits the claim and completes it (two round trips in sequence per cycle). The raw rate of one cycle is one LPUSH plus one RPOP: `1 / (1/LPUSH + 1/RPOP)`. Target: dispatch ≥ 25% of it.",
            [
                string.Create(CultureInfo.InvariantCulture, $"server: {redisVersion.Trim()} (`--save '' --appendonly no`, loopback, started by the benchmark)"),
                string.Create(CultureInfo.InvariantCulture, $"raw: `redis-benchmark -h 127.0.0.1 -p PORT -t lpush,rpop -c N -n {requests} -q`; dispatch: {duration.TotalSeconds:0.#} s per client count after a 0.5 s warm-up"),
            ],
            table,
            pass ? "target met at every client count." : "target missed at one or more client counts.",
            [$"Server-side cost of the scripts over the whole run (`INFO commandstats`): `{evalsha}`."]);
    }

    private static async Task<string> VersionAsync(string file, string argument)
    {
        var start = new ProcessStartInfo(file, argument) { RedirectStandardOutput = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var text = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return text;
    }

    [GeneratedRegex(@"([A-Z]+): ([0-9.]+) requests per second")]
    private static partial Regex RateRegex();
}
