using Botburrow.Agents.Configuration;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Agents.Executors.Tests;

[Collection(ProcessTreeTests.Name)]
public sealed class ProcessTreeAndAvailabilityTests
{
    /// <summary>A tool that starts a child of its own and then hangs, like a CLI stuck on a slow model or a shell command.</summary>
    private const string SpawnAndHang = """
        sleep 300 &
        echo $! > "$run/child"
        sleep 300
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task At_ACTIVATION_TIMEOUT_the_tool_and_the_child_it_started_are_both_gone()
    {
        await using var harness = await ExecutorHarness.StartAsync(ExecutorHarness.Config("claude-code"), "claude", SpawnAndHang);
        await harness.PostAsync("@coder take your time", Ct);

        // A real `botburrow activate` process: the same pipeline and timeout as the runner, in its own process.
        var result = await harness.ActivateThroughCliAsync(
            harness.Cli!.BinDirectory,
            new Dictionary<string, string?> { [SettingNames.AnthropicApiKey] = ExecutorHarness.AnthropicKey, [SettingNames.ActivationTimeout] = "6" }, // room for a cold process to start the tool
            Ct);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("coder: timed out after 6 s (ACTIVATION_TIMEOUT)", result.StandardError, StringComparison.Ordinal);
        var run = Assert.Single(harness.Cli!.Runs);
        var tool = run.Pid;
        var child = int.Parse(File.ReadAllText(Path.Combine(run.Directory, "child")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await GoneAsync(tool), $"the tool (pid {tool}) is still running");
        Assert.True(await GoneAsync(child), $"the tool's child (pid {child}) is still running");
        Assert.Empty(Directory.GetFileSystemEntries(harness.WorkspaceRoot)); // the workspace went with them
        Assert.Equal(1, await harness.UnreadAsync(Ct)); // nothing was marked: the retry answers it
    }

    [Fact]
    public async Task Cancelling_an_activation_kills_the_tool_tree_and_the_runner_records_the_timeout()
    {
        await using var harness = await ExecutorHarness.StartAsync(
            ExecutorHarness.Config("claude-code"),
            "claude",
            SpawnAndHang,
            new Dictionary<string, string?> { [SettingNames.ActivationTimeout] = "2", [SettingNames.BreakerMaxFailures] = "1" },
            withRunner: true);
        await harness.PostAsync("@coder take your time", Ct);
        await harness.StartRunnerAsync(Ct);

        await harness.EnqueueInboxAsync(Ct);

        var failed = await harness.Logs.WaitForAsync(e => e.Event == "activation_failed");
        Assert.Contains("timed out after 2 s (ACTIVATION_TIMEOUT)", failed.Message, StringComparison.Ordinal);
        await harness.Logs.WaitForAsync(e => e.Event == "executor_timeout");
        var run = Assert.Single(harness.Cli!.Runs);
        Assert.True(await GoneAsync(run.Pid));
        Assert.True(await GoneAsync(int.Parse(File.ReadAllText(Path.Combine(run.Directory, "child")).Trim(), System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task An_agent_whose_tool_is_not_installed_fails_with_the_guides_line_and_feeds_the_breaker()
    {
        // No fake on PATH: claude is not installed here.
        await using var harness = await ExecutorHarness.StartAsync(
            ExecutorHarness.Config("claude-code"),
            program: null,
            settings: new Dictionary<string, string?> { [SettingNames.BreakerMaxFailures] = "1" },
            withRunner: true);
        await harness.PostAsync("@coder anyone there?", Ct);
        await harness.StartRunnerAsync(Ct);
        var started = await harness.Logs.WaitForAsync(e => e.Event == "executor_not_available" && e.Message.Contains("'claude-code'", StringComparison.Ordinal));
        Assert.Contains("'claude' not found on PATH", started.Message, StringComparison.Ordinal); // reported at start, not fatal

        await harness.EnqueueInboxAsync(Ct);

        var failed = await harness.Logs.WaitForAsync(e => e.Event == "activation_failed");
        Assert.Contains("Executor 'claude-code' not available: 'claude' not found on PATH", failed.Message, StringComparison.Ordinal);
        var backoff = await WaitForBackoffAsync(harness.Queue);
        Assert.Equal(1, backoff.Failures);
        Assert.NotNull(backoff.Until);
        await harness.Logs.WaitForAsync(e => e.Event == "agent_circuit_breaker");
        Assert.Equal(1, await harness.UnreadAsync(Ct));

        // Reported once, at start (the availability check before each activation logs nothing of its own).
        Assert.Single(harness.Logs.Entries, e => e.Event == "executor_not_available" && e.Message.Contains("'claude-code'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_pipeline_names_the_missing_program()
    {
        await using var harness = await ExecutorHarness.StartAsync(ExecutorHarness.Config("opencode"), program: null);
        await harness.PostAsync("@coder hi", Ct);

        var ex = await Assert.ThrowsAsync<ActivationFailedException>(() => harness.ActivateAsync(TaskType.Inbox, "act-missing", Ct));

        Assert.Equal("Executor 'opencode' not available: 'opencode' not found on PATH", ex.Message);
    }

    private static async Task<BackoffEntry> WaitForBackoffAsync(IWorkQueue queue)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TestConstants.DefaultTimeout)
        {
            if ((await queue.ListBackoffAsync(Ct)).FirstOrDefault(b => b.AgentId == "coder") is { Failures: > 0 } entry)
            {
                return entry;
            }

            await Task.Delay(50, Ct);
        }

        throw new TimeoutException("coder never entered the breaker");
    }

    /// <summary>True once the process has exited (a zombie waiting for its reaper counts as gone).</summary>
    private static async Task<bool> GoneAsync(int pid)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var stat = $"/proc/{pid}/stat";
            string? text = null;
            try
            {
                text = File.Exists(stat) ? await File.ReadAllTextAsync(stat, Ct) : null;
            }
            catch (IOException)
            {
            }

            if (text is null || text[(text.LastIndexOf(')') + 2)..].StartsWith('Z'))
            {
                return true;
            }

            await Task.Delay(50, Ct);
        }

        return false;
    }
}
