using System.Diagnostics;
using Botburrow.Agents.Testing;

namespace Botburrow.Agents.Work.Tests;

/// <summary>A child process (the stand-in claimer/coordinator) whose stdout lines the test reads and which it can SIGKILL or SIGSTOP.</summary>
internal sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = [];
    private readonly HashSet<int> _consumed = [];
    private readonly SemaphoreSlim _arrived = new(0);
    private bool _exited;

    private ChildProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            lock (_lines)
            {
                if (e.Data is null)
                {
                    _exited = true;
                }
                else
                {
                    _lines.Add(e.Data);
                }
            }

            _arrived.Release();
        };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public static string ClaimerAssembly
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var path = Path.Combine(RepositoryPaths.RepositoryRoot, "tests", "Botburrow.Agents.Work.Claimer", "bin", configuration, "net10.0", "Botburrow.Agents.Work.Claimer.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build tests/Botburrow.Agents.Work.Claimer first", path);
        }
    }

    public static ChildProcess StartClaimer(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ClaimerAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new ChildProcess(Process.Start(start) ?? throw new InvalidOperationException("could not start the claimer"));
    }

    /// <summary>The first stdout line not yet taken that starts with <paramref name="prefix"/>; other lines stay for later calls.</summary>
    public async Task<string> WaitForLineAsync(string prefix, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TestConstants.ProcessTimeout);
        while (true)
        {
            lock (_lines)
            {
                for (var i = 0; i < _lines.Count; i++)
                {
                    if (!_consumed.Contains(i) && _lines[i].StartsWith(prefix, StringComparison.Ordinal))
                    {
                        _consumed.Add(i);
                        return _lines[i];
                    }
                }

                if (_exited)
                {
                    throw new InvalidOperationException($"the child exited before printing '{prefix}'; it printed: {string.Join(" | ", _lines)}");
                }
            }

            await _arrived.WaitAsync(timeout.Token);
        }
    }

    public async Task WriteLineAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>SIGKILL: no cleanup runs, as with an OOM kill or a lost node.</summary>
    public void Kill()
    {
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>Sends a signal such as STOP or CONT with <c>kill</c>.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await SignalAsync("CONT");
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
