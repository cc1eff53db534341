using Botburrow.Bench;

// botburrow benchmarks: dotnet run -c Release --project bench/Botburrow.Bench -- dispatch [--smoke]
if (args.Length == 0 || args[0] != "dispatch")
{
    await Console.Error.WriteLineAsync("usage: dotnet run -c Release --project bench/Botburrow.Bench -- dispatch [--smoke]");
    return 2;
}

return await DispatchBenchmark.RunAsync(smoke: args.Contains("--smoke"));
