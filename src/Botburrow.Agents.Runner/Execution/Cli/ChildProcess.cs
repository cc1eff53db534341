using System.Diagnostics;
using System.Text;

namespace Botburrow.Agents.Runner.Execution.Cli;

/// <summary>What a finished child process left behind.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="StandardOutput">Its standard output (at most <see cref="ChildProcess.MaxOutputCharacters"/>).</param>
/// <param name="StandardError">The end of its standard error (at most <see cref="ChildProcess.MaxErrorCharacters"/>).</param>
public sealed record ChildProcessResult(int ExitCode, string StandardOutput, string StandardError);

/// <summary>
/// Runs one command as a child process with exactly the environment it is given (nothing inherited), in its own
/// session and process group (through <c>setsid</c> where the system has it), and kills the whole group, and
/// every descendant it can still find, when the caller cancels: a timed-out tool leaves nothing running.
/// </summary>
public static class ChildProcess
{
    /// <summary>Longest standard output kept; a tool that prints more is cut.</summary>
    public const int MaxOutputCharacters = 8 * 1024 * 1024;

    /// <summary>Longest end of standard error kept.</summary>
    public const int MaxErrorCharacters = 16 * 1024;

    private static readonly Lazy<string?> SetSid = new(() => ExecutableLocator.Find("setsid", Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin"));

    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>,
    /// writes <paramref name="standardInput"/> (or nothing) and closes it, and waits for the exit. On cancellation
    /// the process group and its tree are killed before <see cref="OperationCanceledException"/> is thrown.
    /// </summary>
    public static async Task<ChildProcessResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        string workingDirectory,
        string? standardInput,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        var info = new ProcessStartInfo
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        if (SetSid.Value is { } setsid && !OperatingSystem.IsWindows())
        {
            // setsid execs the tool in place (same pid) as the leader of a new process group: one kill reaches all.
            info.FileName = setsid;
            info.ArgumentList.Add("--wait");
            info.ArgumentList.Add(fileName);
        }
        else
        {
            info.FileName = fileName;
        }

        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        using var process = new Process { StartInfo = info };
        var output = new BoundedText(MaxOutputCharacters, keepEnd: false);
        var error = new BoundedText(MaxErrorCharacters, keepEnd: true);
        process.Start();
        var groupLeader = info.FileName != fileName;
        var readOutput = PumpAsync(process.StandardOutput, output);
        var readError = PumpAsync(process.StandardError, error);
        try
        {
            try
            {
                if (standardInput is not null)
                {
                    await process.StandardInput.WriteAsync(standardInput.AsMemory(), cancellationToken);
                }

                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // The tool does not read its input (it exited or closed it): not an error.
            }

            await process.WaitForExitAsync(cancellationToken);
            await Task.WhenAll(readOutput, readError).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutException)
        {
            Kill(process, groupLeader);
            if (ex is TimeoutException)
            {
                // The tool exited but something it started still holds its output open: gone now, with the group.
                await Task.WhenAll(readOutput, readError).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                return new ChildProcessResult(process.ExitCode, output.ToString(), error.ToString());
            }

            throw;
        }

        return new ChildProcessResult(process.ExitCode, output.ToString(), error.ToString());
    }

    /// <summary>Kills the process group the child leads (when it leads one) and every descendant still found.</summary>
    private static void Kill(Process process, bool groupLeader)
    {
        int pid;
        try
        {
            pid = process.Id;
        }
        catch (InvalidOperationException)
        {
            return;
        }

        if (groupLeader)
        {
            try
            {
                using var kill = Process.Start(new ProcessStartInfo("kill", ["-KILL", "--", "-" + pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])
                {
                    UseShellExecute = false,
                    RedirectStandardError = true,
                    RedirectStandardOutput = true,
                });
                kill?.WaitForExit(5_000);
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // No kill(1): the tree walk below still runs.
            }
        }

        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }

        try
        {
            process.WaitForExit(5_000);
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static async Task PumpAsync(StreamReader reader, BoundedText into)
    {
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer.AsMemory())) > 0)
        {
            into.Append(buffer.AsSpan(0, read));
        }
    }

    /// <summary>Text kept up to a limit: the start (output) or the end (errors).</summary>
    private sealed class BoundedText(int limit, bool keepEnd)
    {
        private readonly StringBuilder _text = new();
        private readonly Lock _lock = new();
        private bool _cut;

        public void Append(ReadOnlySpan<char> chunk)
        {
            lock (_lock)
            {
                if (!keepEnd)
                {
                    var room = limit - _text.Length;
                    if (room > 0)
                    {
                        _text.Append(chunk[..Math.Min(room, chunk.Length)]);
                    }

                    return;
                }

                _text.Append(chunk);
                if (_text.Length > limit)
                {
                    _text.Remove(0, _text.Length - limit);
                    _cut = true;
                }
            }
        }

        public override string ToString()
        {
            lock (_lock)
            {
                return _cut ? "…" + _text : _text.ToString();
            }
        }
    }
}
