using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Botburrow.Agents.Testing;
using Xunit;

namespace Botburrow.EndToEnd.Tests;

/// <summary><c>botburrow up --offline</c> from the repository root, driven exactly as the README tells a newcomer.</summary>
public sealed partial class UpOfflineTests : IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("botburrow-up-").FullName;

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task UpOffline_WithOtherDefinitions_TheCurlLineMentionsOneOfThem()
    {
        // The shared fixtures have no hub-helper: the example names the first loaded agent instead.
        await using var up = CliChild.Start(
            "up-fixtures",
            ["up", "--offline", "--hub-port", CliChild.Port(FreePort.Next()), "--port", CliChild.Port(FreePort.Next()), "--data-dir", _data],
            new Dictionary<string, string?> { ["AGENT_DEFINITIONS_PATH"] = RepositoryPaths.SharedAgentDefinitions });

        var curl = await up.WaitForOutputAsync(l => l.TrimStart().StartsWith("curl ", StringComparison.Ordinal), "the example curl line", Cancel);

        Assert.Contains("\"content\":\"@claude-coder-1 hello\"", curl, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpOffline_PrintedCurlMention_GetsReply_CtrlCStopsCleanly()
    {
        var hubPort = FreePort.Next();
        var metricsPort = FreePort.Next();
        await using var up = CliChild.Start("up", ["up", "--offline", "--hub-port", CliChild.Port(hubPort), "--port", CliChild.Port(metricsPort), "--data-dir", _data]);

        await up.WaitForOutputAsync(l => l.Contains("Offline:", StringComparison.Ordinal), "the offline notice", Cancel);
        var hubLine = await up.WaitForOutputAsync(l => l.TrimStart().StartsWith("Hub page:", StringComparison.Ordinal), "the Hub URL", Cancel);
        var curl = (await up.WaitForOutputAsync(l => l.TrimStart().StartsWith("curl ", StringComparison.Ordinal), "the example curl line", Cancel)).Trim();
        var hubUrl = new Uri(hubLine.Trim()["Hub page:".Length..].Trim());

        // The line the README shows, with only the port differing.
        Assert.Equal(
            $$"""curl -s -X POST http://127.0.0.1:{{hubPort}}/api/v1/posts -H 'Authorization: Bearer botburrow-local-admin' -H 'Idempotency-Key: hello-1' -H 'Content-Type: application/json' -d '{"user":"you","community":"m/general","content":"@hub-helper hello"}'""",
            curl);
        Assert.Equal(hubPort, hubUrl.Port);
        var agent = MentionedAgent().Match(curl) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("no @agent in: " + curl);
        var adminKey = BearerKey().Match(curl).Groups[1].Value;

        using var shell = Process.Start(new ProcessStartInfo("bash", ["-c", curl]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false })!;
        var response = await shell.StandardOutput.ReadToEndAsync(Cancel);
        await shell.WaitForExitAsync(Cancel);
        Assert.True(shell.ExitCode == 0, $"curl failed ({shell.ExitCode}): {await shell.StandardError.ReadToEndAsync(Cancel)}");
        using var created = JsonDocument.Parse(response);
        var postId = created.RootElement.GetProperty("id").GetString()!;

        using var probe = new HubProbe(hubUrl, adminKey);
        var replies = await Eventually.WaitAsync(
            async () => await probe.RepliesAsync(postId, agent, Cancel) is { Count: > 0 } r ? r : null,
            $"{agent}'s reply to the curl mention; up printed:\n{up.Describe()}",
            TestConstants.ProcessTimeout,
            Cancel);
        var reply = Assert.Single(replies);
        Assert.Contains("scripted reply", reply.Content, StringComparison.Ordinal); // labelled as the test double it is

        up.Terminate();
        Assert.Equal(0, await up.WaitForExitAsync(TestConstants.DefaultTimeout, Cancel));
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task UpOffline_Idle_Signal_ExitsZeroWithinASecond(string signal)
    {
        await using var up = CliChild.Start("up-signal", ["up", "--offline", "--hub-port", CliChild.Port(FreePort.Next()), "--port", CliChild.Port(FreePort.Next()), "--data-dir", _data]);
        await up.WaitForOutputAsync(l => l.Contains("Press Ctrl+C to stop.", StringComparison.Ordinal), "the ready line", Cancel);

        // Idle: the coordinator's long-poll is waiting in the embedded Hub and the runner has nothing running.
        await Task.Delay(TimeSpan.FromSeconds(3), Cancel);
        var clock = Stopwatch.StartNew();
        using (var kill = Process.Start("kill", ["-" + signal, CliChild.Port(up.Id)])!)
        {
            await kill.WaitForExitAsync(Cancel);
        }

        var exitCode = await up.WaitForExitAsync(TestConstants.DefaultTimeout, Cancel);
        var elapsed = clock.Elapsed;

        Assert.True(elapsed <= TimeSpan.FromSeconds(1), $"botburrow up took {elapsed.TotalMilliseconds:0} ms to exit after SIG{signal}:\n{up.Describe()}");
        Assert.Equal(0, exitCode);
    }

    [Fact]
    public async Task Up_PortTaken_OneLineErrorNamingThePort_ExitTwo()
    {
        using var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        var port = ((System.Net.IPEndPoint)taken.LocalEndpoint).Port;

        var hubTaken = await CliProcess.RunAsync(["up", "--offline", "--hub-port", CliChild.Port(port), "--port", CliChild.Port(FreePort.Next()), "--data-dir", _data], cancellationToken: Cancel);
        var metricsTaken = await CliProcess.RunAsync(["up", "--offline", "--hub-port", CliChild.Port(FreePort.Next()), "--port", CliChild.Port(port), "--data-dir", _data], cancellationToken: Cancel);

        foreach (var (result, flag) in new[] { (hubTaken, "--hub-port"), (metricsTaken, "--port") })
        {
            Assert.Equal(2, result.ExitCode);
            Assert.Contains($":{port}: address already in use", result.StandardError, StringComparison.Ordinal);
            Assert.Contains(flag, result.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.StandardError + result.StandardOutput, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex(@"@([a-z0-9][a-z0-9-]*)")]
    private static partial Regex MentionedAgent();

    [GeneratedRegex(@"Authorization: Bearer ([^'""\s]+)")]
    private static partial Regex BearerKey();
}
