using System.Diagnostics;
using System.Text;
using Botburrow.Agents.Testing;
using Xunit;

namespace Botburrow.Agents.Hub.Tests;

/// <summary><c>botburrow hub</c> as a real child process.</summary>
public sealed class HubCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Data_SurvivesARestartOnTheSameDatabaseFile()
    {
        var directory = Directory.CreateTempSubdirectory("botburrow-hub-cli-").FullName;
        try
        {
            TestHub.WriteAgent(directory, "alpha", "display_name: Alpha");
            var db = Path.Combine(directory, "hub.db");
            string postId;
            string notificationId;
            await using (var first = await HubProcess.StartAsync(db, directory))
            {
                var client = first.Client();
                postId = (await client.CreatePostAsync(new CreatePostRequest { User = "alice", Title = "Persist me", Content = "remember this @alpha", Community = "m/general" }, "persist", Ct)).Id;
                notificationId = Assert.Single(await client.ListNotificationsAsync("alpha", cancellationToken: Ct)).Id;
                await client.MarkActivatedAsync("alpha", "act-1", Ct);
                await client.ReportConsumptionAsync(new ConsumptionReport { AgentId = "alpha", CostUsd = 0.25 }, "use-1", Ct);
            }

            await using var second = await HubProcess.StartAsync(db, null);
            var again = second.Client();
            var post = await again.GetPostAsync(postId, includeComments: true, Ct);
            Assert.Equal("Persist me", post.Title);
            Assert.Equal("remember this @alpha", post.Content);
            Assert.Equal(notificationId, Assert.Single(await again.ListNotificationsAsync("alpha", cancellationToken: Ct)).Id);
            Assert.NotNull(Assert.Single(await again.ListStaleAgentsAsync(TimeSpan.Zero, Ct)).LastActivatedAt);
            Assert.Equal(0.25, (await again.GetBudgetHealthAsync("alpha", Ct)).DailyUsed, 6);
            Assert.Single(await again.SearchAsync(new HubSearchQuery { Query = "remember" }, Ct));
            var replay = await again.CreatePostAsync(new CreatePostRequest { User = "alice", Title = "Persist me", Content = "remember this @alpha", Community = "m/general" }, "persist", Ct);
            Assert.Equal(postId, replay.Id);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("TERM", false)]
    [InlineData("INT", false)]
    [InlineData("TERM", true)]
    [InlineData("INT", true)]
    public async Task Signal_StopsTheHubWithinASecond(string signal, bool longPollInFlight)
    {
        var directory = Directory.CreateTempSubdirectory("botburrow-hub-signal-").FullName;
        try
        {
            TestHub.WriteAgent(directory, "alpha", "display_name: Alpha");
            await using var hub = await HubProcess.StartAsync(Path.Combine(directory, "hub.db"), directory);
            Task<HubPollResult>? poll = null;
            if (longPollInFlight)
            {
                poll = hub.Client().PollAsync(TimeSpan.FromSeconds(60), 10, Ct);

                // The poll is waiting once the Hub answered the request that follows it on another connection.
                await hub.Client().ListStaleAgentsAsync(TimeSpan.Zero, Ct);
            }

            var elapsed = await hub.SignalAndWaitForExitAsync(signal);

            Assert.True(elapsed < TimeSpan.FromSeconds(1), $"botburrow hub took {elapsed.TotalMilliseconds:0} ms to exit after SIG{signal}");
            Assert.Equal(0, hub.ExitCode);
            if (poll is not null)
            {
                var result = await poll;
                Assert.Equal(HubPollStatus.Answered, result.Status);
                Assert.Empty(result.Agents);
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task PortInUse_FailsWithAClearMessage()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var db = Path.Combine(Path.GetTempPath(), $"botburrow-hub-{Guid.NewGuid():N}.db");
        try
        {
            var result = await CliProcess.RunAsync(["hub", "--db", db, "--port", port, "--admin-key", "k"], cancellationToken: Ct);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"hub: cannot listen on 127.0.0.1:{port}", result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(db)!, Path.GetFileName(db) + "*"))
            {
                File.Delete(file);
            }
        }
    }

    [Fact]
    public async Task MissingAgentsFolder_IsAUsageError()
    {
        var result = await CliProcess.RunAsync(["hub", "--db", Path.Combine(Path.GetTempPath(), "never.db"), "--port", "0", "--agents", "/nonexistent/agents"], cancellationToken: Ct);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--agents: folder '/nonexistent/agents' does not exist", result.StandardError, StringComparison.Ordinal);
    }

    private sealed class HubProcess : IAsyncDisposable
    {
        private const string AdminKey = "cli-admin-key";
        private readonly Process _process;
        private readonly HttpClient _http = new();

        private HubProcess(Process process, Uri url)
        {
            _process = process;
            Url = url;
        }

        public Uri Url { get; }

        public static async Task<HubProcess> StartAsync(string db, string? agents)
        {
            var port = FreePort.Next();
            var args = new List<string> { "hub", "--db", db, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--admin-key", AdminKey };
            if (agents is not null)
            {
                args.AddRange(["--agents", agents]);
            }

            var process = Process.Start(CliProcess.StartInfo(args)) ?? throw new InvalidOperationException("botburrow hub did not start");
            var stderr = new StringBuilder();
            var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data?.StartsWith("Dev Hub listening on", StringComparison.Ordinal) == true)
                {
                    listening.TrySetResult();
                }
            };
            process.ErrorDataReceived += (_, e) => { lock (stderr) { stderr.AppendLine(e.Data); } };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var done = await Task.WhenAny(listening.Task, process.WaitForExitAsync(), Task.Delay(TestConstants.ProcessTimeout));
            if (done != listening.Task)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"botburrow hub did not start listening; stderr: {stderr}");
            }

            return new HubProcess(process, new Uri($"http://127.0.0.1:{port}/"));
        }

        public HubClient Client() => new(_http, new HubClientOptions { BaseUrl = Url, ApiKey = AdminKey });

        public int ExitCode => _process.ExitCode;

        /// <summary>Sends SIG<paramref name="signal"/> and measures the time until the process has exited.</summary>
        public async Task<TimeSpan> SignalAndWaitForExitAsync(string signal)
        {
            var clock = Stopwatch.StartNew();
            using (var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill!.WaitForExitAsync();
            }

            using var limit = new CancellationTokenSource(TestConstants.DefaultTimeout);
            await _process.WaitForExitAsync(limit.Token);
            return clock.Elapsed;
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }
    }
}
