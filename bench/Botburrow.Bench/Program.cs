using Botburrow.Bench;

// botburrow benchmarks: dotnet run -c Release --project bench/Botburrow.Bench -- <scenario> [--smoke] [--out FILE] [--count N]
var scenarios = new Dictionary<string, Func<BenchArgs, Task<int>>>(StringComparer.Ordinal)
{
    ["dispatch"] = DispatchBenchmark.RunAsync,
    ["latency"] = LatencyBenchmark.RunAsync,
    ["recovery"] = RecoveryBenchmark.RunAsync,
    ["failover"] = FailoverBenchmark.RunAsync,
    ["footprint"] = FootprintBenchmark.RunAsync,
    ["overhead"] = OverheadBenchmark.RunAsync,
    ["throughput"] = ThroughputBenchmark.RunAsync,
};

const string Usage = "usage: dotnet run -c Release --project bench/Botburrow.Bench -- dispatch|latency|recovery|failover|footprint|overhead|throughput [--smoke] [--out FILE] [--count N] [--baseline DLL] [--trace DIR]";
if (args.Length == 0 || !scenarios.TryGetValue(args[0], out var run))
{
    await Console.Error.WriteLineAsync(Usage);
    return 2;
}

if (!BenchArgs.TryParse(args, out var parsed, out var error))
{
    await Console.Error.WriteLineAsync(error);
    await Console.Error.WriteLineAsync(Usage);
    return 2;
}

return await run(parsed);
