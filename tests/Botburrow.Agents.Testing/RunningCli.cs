using System.Diagnostics;
using System.Text;

namespace Botburrow.Agents.Testing;

/// <summary>
/// A long-running <c>botburrow</c> child process (e.g. <c>up</c>): its output is collected, a test waits for a line
/// with <see cref="WaitForOutputAsync"/>, and disposing stops it (SIGTERM, then kill after a grace period).
/// </summary>
public sealed class RunningCli : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();

    private RunningCli(Process process)
    {
        _process = process;
    }

    public string StandardOutput
    {
        get
        {
            lock (_lock)
            {
                return _stdout.ToString();
            }
        }
    }

    public string StandardError
    {
        get
        {
            lock (_lock)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static RunningCli Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
    {
        var process = Process.Start(CliProcess.StartInfo(args, environment, workingDirectory)) ?? throw new InvalidOperationException("could not start botburrow");
        var running = new RunningCli(process);
        process.OutputDataReceived += (_, e) => running.Append(running._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => running.Append(running._stderr, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return running;
    }

    /// <summary>Waits until standard output contains <paramref name="text"/>; fails when the process exits first or after the default timeout.</summary>
    public async Task WaitForOutputAsync(string text, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.StartNew();
        while (!StandardOutput.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"botburrow exited ({_process.ExitCode}) before printing '{text}'.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
            }

            if (deadline.Elapsed > TestConstants.DefaultTimeout)
            {
                throw new TimeoutException($"botburrow did not print '{text}' in time.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Waits until standard error (the log) contains <paramref name="text"/>; fails when the process exits first or after the default timeout.</summary>
    public async Task WaitForStandardErrorAsync(string text, CancellationToken cancellationToken = default)
    {
        var deadline = Stopwatch.StartNew();
        while (!StandardError.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"botburrow exited ({_process.ExitCode}) before logging '{text}'.\nstderr:\n{StandardError}");
            }

            if (deadline.Elapsed > TestConstants.DefaultTimeout)
            {
                throw new TimeoutException($"botburrow did not log '{text}' in time.\nstderr:\n{StandardError}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill?.WaitForExit();
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private void Append(StringBuilder target, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            target.AppendLine(line);
        }
    }
}
