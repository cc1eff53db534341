using System.Diagnostics;
using System.Text;
using Botburrow.Agents.Testing;
using Xunit;

namespace Botburrow.Bench.Tests;

/// <summary>Every benchmark scenario runs end to end with tiny sizes (<c>--smoke</c>), without touching the record.</summary>
public sealed class SmokeTests
{
    // Scenario and the extra arguments that keep its smoke run small.
    private static readonly (string Name, string[] Extra)[] Scenarios =
    [
        ("dispatch", []),
        ("latency", ["--count", "5"]),
        ("recovery", ["--count", "1"]),
        ("failover", []),
        ("footprint", ["--count", "100"]),
        ("overhead", ["--count", "10"]),
        ("throughput", ["--count", "20"]),
    ];

    [Fact]
    public async Task Every_scenario_runs_in_smoke_mode_prints_its_table_and_leaves_docs_alone()
    {
        foreach (var tool in new[] { "redis-server", "redis-benchmark", "redis-cli" })
        {
            if (!OnPath(tool))
            {
                if (RepositoryPaths.IsCi)
                {
                    throw new InvalidOperationException($"{tool} not found on PATH");
                }

                Assert.Skip($"{tool} not found on PATH (./test.sh installs it)");
            }
        }

        var docs = Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "benchmarks.md");
        var before = File.Exists(docs) ? await File.ReadAllTextAsync(docs, TestContext.Current.CancellationToken) : null;
        var folder = Directory.CreateTempSubdirectory("botburrow-bench-smoke-");
        try
        {
            foreach (var (scenario, extra) in Scenarios)
            {
                var record = Path.Combine(folder.FullName, scenario + ".md");
                var (exitCode, output) = await RunAsync([scenario, "--smoke", "--out", record, .. extra], TestContext.Current.CancellationToken);
                Assert.True(exitCode == 0, $"{scenario} --smoke exited {exitCode}:\n{output}");
                Assert.Contains("|---", output, StringComparison.Ordinal);
                if (scenario is "recovery" or "failover")
                {
                    // Both modes of one sitting: the lease fallback and fast failure detection.
                    Assert.Contains("| before: `FAST_FAILURE_DETECTION=false`", output, StringComparison.Ordinal);
                    Assert.Contains("| after: default", output, StringComparison.Ordinal);
                }

                var written = await File.ReadAllTextAsync(record, TestContext.Current.CancellationToken);
                Assert.Contains($"## {scenario} — ", written, StringComparison.Ordinal);
                Assert.Contains("(smoke run, tiny sizes)", written, StringComparison.Ordinal);
                Assert.Contains($"`dotnet run -c Release --project bench/Botburrow.Bench -- {scenario} --smoke", written, StringComparison.Ordinal);
                Assert.Contains("- machine: ", written, StringComparison.Ordinal);
                Assert.Contains("Result: ", written, StringComparison.Ordinal);
            }

            var after = File.Exists(docs) ? await File.ReadAllTextAsync(docs, TestContext.Current.CancellationToken) : null;
            Assert.Equal(before, after);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task An_unknown_scenario_is_a_usage_error()
    {
        var (exitCode, output) = await RunAsync(["warp-speed"], TestContext.Current.CancellationToken);
        Assert.Equal(2, exitCode);
        Assert.Contains("usage: dotnet run -c Release --project bench/Botburrow.Bench -- dispatch|latency|recovery|failover|footprint|overhead", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        var bench = Path.Combine(RepositoryPaths.RepositoryRoot, "bench", "Botburrow.Bench", "bin", configuration, "net10.0", "Botburrow.Bench.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepositoryPaths.RepositoryRoot };
        start.ArgumentList.Add(bench);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the benchmark");
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (output) { output.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"benchmark {string.Join(' ', args)} did not finish in 90 s:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    private static bool OnPath(string tool)
        => (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator).Any(d => File.Exists(Path.Combine(d, tool)));
}
