using System.Diagnostics;
using System.Text;

namespace Botburrow.Agents.Testing;

/// <summary>The result of running <c>botburrow</c> as a child process.</summary>
public sealed record CliResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs the real <c>botburrow</c> executable (the build output of <c>src/Botburrow.Cli</c>) as a child process,
/// with an environment the test controls.
/// </summary>
public static class CliProcess
{
    /// <summary>The built <c>botburrow.dll</c> for the configuration the tests were built in.</summary>
    public static string CliAssembly
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var path = Path.Combine(RepositoryPaths.RepositoryRoot, "src", "Botburrow.Cli", "bin", configuration, "net10.0", "botburrow.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build src/Botburrow.Cli first", path);
        }
    }

    /// <summary>A start description for <c>dotnet botburrow.dll ARGS</c>, environment cleared of Botburrow settings.</summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? RepositoryPaths.RepositoryRoot,
        };
        start.ArgumentList.Add(CliAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("BOTBURROW_", StringComparison.Ordinal) || IsSettingName(key))
            {
                start.Environment.Remove(key);
            }
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                start.Environment[key] = value;
            }
        }

        return start;
    }

    /// <summary>Runs to completion (killed at <see cref="TestConstants.ProcessTimeout"/>).</summary>
    public static Task<CliResult> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null, CancellationToken cancellationToken = default)
        => RunAsync(StartInfo(args, environment, workingDirectory), cancellationToken);

    /// <summary>Runs <paramref name="start"/> (from <see cref="StartInfo"/>, perhaps wrapped) to completion (killed at <see cref="TestConstants.ProcessTimeout"/>).</summary>
    public static async Task<CliResult> RunAsync(ProcessStartInfo start, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        var args = start.ArgumentList;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start botburrow");
        process.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestConstants.ProcessTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"botburrow {string.Join(' ', args)} did not exit in time; stderr: {stderr}");
        }

        process.WaitForExit();
        return new CliResult(process.ExitCode, stdout.ToString(), stderr.ToString());
    }

    private static bool IsSettingName(string key) => key is "HUB_URL" or "HUB_API_KEY" or "REDIS_URL" or "VALKEY_URL" or "RUNNER_MODE" or "LOG_LEVEL" or "LOG_FORMAT"
        or "AGENT_DEFINITIONS_PATH" or "AGENT_DEFINITIONS_REPO" or "ADMIN_TOKEN" or "METRICS_PORT"
        or "METRICS_BIND_ADDRESS" or "DASHBOARD_TOKEN";
}
