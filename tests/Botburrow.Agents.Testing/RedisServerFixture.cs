using System.Diagnostics;
using System.Net.Sockets;
using Xunit;

namespace Botburrow.Agents.Testing;

/// <summary>
/// A real <c>redis-server</c> on a free loopback port, started for a test class or collection and stopped after.
/// Uses <c>BOTBURROW_TEST_REDIS</c> (a URL) instead when set. When no server can be had the tests using it skip
/// locally and fail under <c>CI=true</c>.
/// </summary>
public sealed class RedisServerFixture : IAsyncLifetime
{
    private Process? _process;
    private string? _directory;

    public int Port { get; private set; }

    /// <summary>e.g. <c>redis://127.0.0.1:6390</c>.</summary>
    public string Url { get; private set; } = "";

    /// <summary>
    /// Runs the server with an append-only file (fsync on every write) in a directory kept across
    /// <see cref="RestartAsync"/>, so a restart keeps the data, as a production Valkey with persistence would.
    /// </summary>
    public bool AppendOnly { get; init; }

    /// <summary>Why no server is available, or <see langword="null"/>.</summary>
    public string? Unavailable { get; private set; }

    /// <summary>Skips (locally) or fails (in CI) the calling test when no server is available.</summary>
    public void EnsureAvailable()
    {
        if (Unavailable is null)
        {
            return;
        }

        if (RepositoryPaths.IsCi)
        {
            throw new InvalidOperationException(Unavailable);
        }

        Assert.Skip(Unavailable);
    }

    public async ValueTask InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("BOTBURROW_TEST_REDIS");
        if (!string.IsNullOrEmpty(external))
        {
            Url = external;
            Port = new Uri(external).Port;
            return;
        }

        var server = FindServer();
        if (server is null)
        {
            Unavailable = "redis-server not found on PATH (./test.sh installs it)";
            return;
        }

        await StartAsync(server, FreePort.Next());
    }

    /// <summary>Stops the server abruptly (as a crash or outage would). <see cref="RestartAsync"/> brings it back on the same port.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }
    }

    public async Task RestartAsync()
    {
        Kill();
        _process?.Dispose();
        await StartAsync(FindServer()!, Port);
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
            }
        }

        return ValueTask.CompletedTask;
    }

    private async Task StartAsync(string server, int port)
    {
        _directory ??= Directory.CreateTempSubdirectory("botburrow-redis-").FullName;
        Port = port;
        Url = $"redis://127.0.0.1:{port}";
        var start = new ProcessStartInfo(server)
        {
            WorkingDirectory = _directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", AppendOnly ? "yes" : "no", "--appendfsync", "always", "--protected-mode", "no" })
        {
            start.ArgumentList.Add(arg);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TestConstants.DefaultTimeout)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"redis-server exited with code {_process.ExitCode} on port {port}");
                }

                await Task.Delay(50);
            }
        }

        throw new InvalidOperationException($"redis-server did not listen on port {port} in time");
    }

    private static string? FindServer()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/bin").Append("/usr/local/bin"))
        {
            var candidate = Path.Combine(directory, "redis-server");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
