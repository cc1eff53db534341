using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Botburrow.Bench;

/// <summary>
/// A real <c>botburrow</c> service (<c>dotnet src/Botburrow.Cli/bin/Release/net10.0/botburrow.dll VERB</c>) as a
/// child process with JSON-lines logs on stderr. Each log line is timestamped (<see cref="Stopwatch"/>) as it
/// arrives, so waiters get the moment the child reported an event.
/// </summary>
internal sealed class BotburrowProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<(long At, string Event, JsonElement Line)> _events = new();
    private readonly List<(Func<string, JsonElement, bool> Match, TaskCompletionSource<long> Done)> _waiters = [];
    private readonly ConcurrentQueue<string> _tail = new();

    private BotburrowProcess(Process process, string name)
    {
        _process = process;
        Name = name;
    }

    public string Name { get; }

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    public static string CliAssembly
    {
        get
        {
            // The configuration this benchmark was built in (the project builds the CLI with it).
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
            var path = Path.Combine(Report.FindRoot(), "src", "Botburrow.Cli", "bin", configuration, "net10.0", "botburrow.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"Build src/Botburrow.Cli first (dotnet build -c {configuration})", path);
        }
    }

    public static BotburrowProcess Start(string name, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment)
        => Start(name, CliAssembly, args, environment);

    /// <summary>Starts <paramref name="cliAssembly"/> (another build's <c>botburrow.dll</c>, e.g. a baseline) with <paramref name="args"/>.</summary>
    public static BotburrowProcess Start(string name, string cliAssembly, IEnumerable<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Report.FindRoot(),
        };
        start.ArgumentList.Add(cliAssembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("BOTBURROW_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["LOG_FORMAT"] = "json";
        start.Environment["METRICS_PORT"] = Report.FreePort().ToString(CultureInfo.InvariantCulture);
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start botburrow");
        var child = new BotburrowProcess(process, name);
        process.StandardInput.Close();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The timestamp of the first event (already seen or coming) that <paramref name="match"/> accepts.</summary>
    public Task<long> WaitForAsync(Func<string, JsonElement, bool> match, TimeSpan timeout)
    {
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            foreach (var (at, name, line) in _events)
            {
                if (match(name, line))
                {
                    return Task.FromResult(at);
                }
            }

            _waiters.Add((match, done));
        }

        return WithContextAsync(done.Task, timeout);
    }

    private async Task<long> WithContextAsync(Task<long> task, TimeSpan timeout)
    {
        try
        {
            return await task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"{Name} (pid {Pid}, exited: {HasExited}) logged no matching event within {timeout.TotalSeconds:0} s; its last lines:\n{Tail}"));
        }
    }

    public Task<long> WaitForEventAsync(string eventName, TimeSpan timeout, Func<JsonElement, bool>? where = null)
        => WaitForAsync((name, line) => name == eventName && (where is null || where(line)), timeout);

    /// <summary>The events named <paramref name="eventName"/> seen so far, with the moment each line arrived.</summary>
    public IReadOnlyList<(long At, JsonElement Line)> Events(string eventName)
    {
        lock (_waiters)
        {
            return [.. _events.Where(e => e.Event == eventName).Select(e => (e.At, e.Line))];
        }
    }

    /// <summary>Forgets the events seen so far (waiters then only see later ones).</summary>
    public void Clear()
    {
        lock (_waiters)
        {
            _events.Clear();
        }
    }

    /// <summary>VmRSS from <c>/proc/PID/status</c>, in MiB.</summary>
    public double ResidentMiB()
    {
        var line = File.ReadLines($"/proc/{Pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>utime + stime from <c>/proc/PID/stat</c>, in seconds (clock ticks at 100 Hz).</summary>
    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        // After "pid (comm) ", field 3 (state) is index 0, so utime (14) is index 11 and stime (15) index 12.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    /// <summary>SIGKILL: the process dies at once, without any shutdown code.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the graceful stop a Kubernetes rollout sends.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>Sends a signal by name (<c>STOP</c> freezes the process, <c>CONT</c> wakes it).</summary>
    public void Signal(string name)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-" + name, Pid.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false });
        kill?.WaitForExit();
    }

    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        try
        {
            await _process.WaitForExitAsync().WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public string Tail => string.Join('\n', _tail);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // A frozen process dies of SIGKILL too; waking it first is not needed.
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void OnLine(string? text)
    {
        if (text is null)
        {
            return;
        }

        var at = Stopwatch.GetTimestamp();
        _tail.Enqueue(text);
        while (_tail.Count > 40)
        {
            _tail.TryDequeue(out _);
        }

        JsonElement line;
        try
        {
            using var document = JsonDocument.Parse(text);
            line = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return;
        }

        var name = line.TryGetProperty("event", out var e) ? e.GetString() ?? "" : "";
        lock (_waiters)
        {
            _events.Enqueue((at, name, line));
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(name, line))
                {
                    _waiters[i].Done.TrySetResult(at);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>
    /// A field of a JSON log line by its message-template name (<c>AgentId</c>), written as such by older builds and
    /// in snake_case (<c>agent_id</c>) by current ones; empty when absent.
    /// </summary>
    public static string Field(JsonElement line, string name)
        => line.TryGetProperty(name, out var value) || line.TryGetProperty(JsonNamingPolicy.SnakeCaseLower.ConvertName(name), out value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : value.ToString()
            : "";
}
