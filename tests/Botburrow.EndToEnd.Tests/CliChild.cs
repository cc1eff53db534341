using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Botburrow.Agents.Testing;

namespace Botburrow.EndToEnd.Tests;

/// <summary>
/// <c>botburrow …</c> running as a child process: its stdout and stderr lines are kept (JSON log lines parsed), and
/// the test can send it SIGTERM or SIGKILL.
/// </summary>
public sealed partial class CliChild : IAsyncDisposable
{
    private const int SigTerm = 15;

    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];

    private CliChild(string name, Process process)
    {
        Name = name;
        _process = process;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (_stdout) { _stdout.Add(e.Data); } } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (_stderr) { _stderr.Add(e.Data); } } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _process.StandardInput.Close();
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public IReadOnlyList<string> StandardOutput { get { lock (_stdout) { return [.. _stdout]; } } }

    public IReadOnlyList<string> StandardError { get { lock (_stderr) { return [.. _stderr]; } } }

    public static CliChild Start(string name, IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? workingDirectory = null)
        => new(name, Process.Start(CliProcess.StartInfo(args, environment, workingDirectory)) ?? throw new InvalidOperationException("could not start botburrow " + name));

    /// <summary>Log events (JSON lines with LOG_FORMAT=json) of the given name, from both streams.</summary>
    public IReadOnlyList<JsonElement> Events(string eventName)
    {
        var found = new List<JsonElement>();
        foreach (var line in StandardError.Concat(StandardOutput))
        {
            if (!line.StartsWith('{'))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                if (Find(document.RootElement, "event", "EventName", "event_name") is { } name && name == eventName)
                {
                    found.Add(document.RootElement.Clone());
                }
            }
            catch (JsonException)
            {
            }
        }

        return found;
    }

    /// <summary>A string value anywhere in a JSON log line (top level, or nested one level deep as in scopes or state).</summary>
    public static string? Find(JsonElement line, params string[] names)
    {
        if (line.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in line.EnumerateObject())
        {
            // JSON log fields are snake_case (agent_id); a caller may name them as the template does (AgentId).
            if (names.Any(n => string.Equals(n.Replace("_", "", StringComparison.Ordinal), property.Name.Replace("_", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase)))
            {
                return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : property.Value.ToString();
            }
        }

        foreach (var property in line.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Object && Find(property.Value, names) is { } nested)
            {
                return nested;
            }

            if (property.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in property.Value.EnumerateArray())
                {
                    if (Find(item, names) is { } inArray)
                    {
                        return inArray;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Waits for a stdout line satisfying <paramref name="predicate"/>; fails early when the process exits.</summary>
    public Task<string> WaitForOutputAsync(Func<string, bool> predicate, string what, CancellationToken cancellationToken = default)
        => Eventually.WaitAsync(
            () =>
            {
                var line = StandardOutput.FirstOrDefault(predicate);
                if (line is null && HasExited)
                {
                    throw new InvalidOperationException($"botburrow {Name} exited ({ExitCode}) before {what}:\n{Describe()}");
                }

                return Task.FromResult(line);
            },
            what,
            TestConstants.ProcessTimeout,
            cancellationToken);

    public Task<JsonElement?> WaitForEventAsync(string eventName, Func<JsonElement, bool>? predicate = null, CancellationToken cancellationToken = default)
        => Eventually.WaitAsync<object>(
            () =>
            {
                var match = Events(eventName).Where(e => predicate?.Invoke(e) ?? true).Select(e => (object?)e).FirstOrDefault();
                if (match is null && HasExited)
                {
                    throw new InvalidOperationException($"botburrow {Name} exited ({ExitCode}) before logging {eventName}:\n{Describe()}");
                }

                return Task.FromResult(match);
            },
            $"{eventName} from {Name}",
            TestConstants.ProcessTimeout,
            cancellationToken).ContinueWith(t => (JsonElement?)(JsonElement)t.Result, TaskScheduler.Default);

    /// <summary>SIGTERM (what Kubernetes sends first, and what Ctrl+C amounts to).</summary>
    public void Terminate()
    {
        if (NativeMethods.Kill(_process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, SIGTERM) failed: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    /// <summary>SIGKILL: no cleanup runs, as with an OOM kill or a lost node.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await _process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"botburrow {Name} did not exit within {timeout.TotalSeconds} s:\n{Describe()}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public string Describe()
    {
        var lines = StandardOutput.Concat(StandardError).ToList();
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Count - 60)));
    }

    public ValueTask DisposeAsync()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        return ValueTask.CompletedTask;
    }

    public static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static partial class NativeMethods
    {
        [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
        public static partial int Kill(int pid, int signal);
    }
}
