namespace Botburrow.Bench;

internal static class RecoveryBenchmark
{
    public static Task<int> RunAsync(BenchArgs args) => Task.FromResult(args.Smoke ? 0 : 0);
}
