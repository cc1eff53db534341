using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Agents.Executors.Tests;

public sealed class AiderExecutorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>What aider 0.86 writes to its chat history for one <c>--message</c>: its notes quoted, the message under ####, the answer plain.</summary>
    private const string History = """

        # aider chat started at 2026-11-29 18:00:00

        > /usr/local/bin/aider --message-file message.md
        > Aider v0.86.1
        > Model: anthropic/claude-sonnet-4-5 with ask edit format, infinite output
        > Git repo: none
        > Repo-map: disabled
        > Added system-prompt.md to the chat (read-only).

        #### You were mentioned on the Hub.
        #### Answer the question.

        Use `git bisect` to find the commit.

        It halves the search each step.

        > Tokens: 2.4k sent, 16 received. Cost: $0.0012 message, $0.0012 session.

        """;

    /// <summary>What aider prints on standard output with <c>--no-pretty --no-stream</c>.</summary>
    private const string Stdout = """
        Aider v0.86.1
        Model: anthropic/claude-sonnet-4-5 with ask edit format, infinite output
        Git repo: none
        Repo-map: disabled
        Added system-prompt.md to the chat (read-only).

        Use `git bisect` to find the commit.

        It halves the search each step.

        Tokens: 2.4k sent, 16 received. Cost: $0.0012 message, $0.0012 session.

        """;

    [Fact]
    public async Task A_mention_is_answered_through_aider_with_its_documented_flags()
    {
        await using var harness = await ExecutorHarness.StartAsync(
            ExecutorHarness.Config("aider", grants: "[hub:read, hub:write, github:read]", capabilities: "  mcp_servers: [github]"),
            "aider",
            extra: $$"""
                prev=""; for a in "$@"; do if [ "$prev" = "--chat-history-file" ]; then cat "$rec/history" >> "$a"; fi; prev="$a"; done
                """);
        await File.WriteAllTextAsync(Path.Combine(harness.Cli!.RecordDirectory, "history"), History, Ct);
        harness.Cli.Prints(Stdout);
        var post = await harness.PostAsync("@coder how do I find the bad commit?", Ct);

        var report = await harness.ActivateAsync(TaskType.Inbox, "act-aider-1", Ct);

        Assert.Equal(WorkOutcome.Succeeded, report.Outcome);
        Assert.Equal(["Use `git bisect` to find the commit.\n\nIt halves the search each step."], await harness.AgentCommentsAsync(post, Ct));
        Assert.Equal(2400, report.InputTokens);
        Assert.Equal(16, report.OutputTokens);
        Assert.Equal(0.0012m, report.CostUsd);

        var run = Assert.Single(harness.Cli.Runs);
        var argv = run.Argv;
        Assert.Equal("anthropic/claude-sonnet-4-5", run.After("--model"));
        foreach (var flag in new[] { "--yes-always", "--no-git", "--no-auto-commits", "--no-stream", "--no-pretty", "--no-check-update", "--no-analytics", "--no-detect-urls", "--no-suggest-shell-commands" })
        {
            Assert.Contains(flag, argv);
        }

        Assert.Equal("0", run.After("--map-tokens"));
        Assert.Equal("ask", run.After("--chat-mode")); // no filesystem:write
        Assert.Contains("how do I find the bad commit?", run.File("botburrow/message.md"), StringComparison.Ordinal);
        Assert.Contains("coder", run.File("botburrow/system-prompt.md"), StringComparison.Ordinal);
        Assert.DoesNotContain(argv, a => a.Contains("hub", StringComparison.OrdinalIgnoreCase) && a.Contains("mcp", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(ExecutorHarness.GitHubToken, run.Everything(), StringComparison.Ordinal); // aider has no MCP: no server credentials at all

        SecretChecks.OnlyAllowed(run, harness.WorkspaceRoot, "AIDER_NO_AUTO_COMMITS", "ANTHROPIC_API_KEY");
    }

    [Fact]
    public async Task Aider_exiting_without_an_answer_fails_the_activation()
    {
        await using var harness = await ExecutorHarness.StartAsync(ExecutorHarness.Config("aider"), "aider");
        harness.Cli!.Prints("Aider v0.86.1\nlitellm.AuthenticationError: AnthropicException - invalid x-api-key\n");
        await harness.PostAsync("@coder hi", Ct);

        var ex = await Assert.ThrowsAsync<ActivationFailedException>(() => harness.ActivateAsync(TaskType.Inbox, "act-aider-err", Ct));

        Assert.Equal("Executor 'aider' failed: wrote no answer to its chat history: litellm.AuthenticationError: AnthropicException - invalid x-api-key", ex.Message);
    }

    [Fact]
    public async Task Every_token_report_of_the_run_is_counted()
    {
        // With both cache figures aider puts the cost on its own line; a reflection adds a second report.
        await using var harness = await ExecutorHarness.StartAsync(
            ExecutorHarness.Config("aider"),
            "aider",
            extra: """prev=""; for a in "$@"; do if [ "$prev" = "--chat-history-file" ]; then printf '#### q\n\nFixed.\n' >> "$a"; fi; prev="$a"; done""");
        harness.Cli!.Prints("Tokens: 12k sent, 3.4k cache write, 5.6k cache hit, 89 received.\nCost: $0.05 message, $0.05 session.\nFixed.\nTokens: 1,234 sent, 11 received. Cost: $0.0031 message, $0.0531 session.\n");
        await harness.PostAsync("@coder fix it", Ct);

        var report = await harness.ActivateAsync(TaskType.Inbox, "act-aider-tokens", Ct);

        Assert.Equal(12_000 + 1_234, report.InputTokens); // "sent" includes the cached prompt tokens
        Assert.Equal(89 + 11, report.OutputTokens);
        Assert.Equal(0.0531m, report.CostUsd);
    }
}
