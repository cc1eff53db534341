using System.Text.Json;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Agents.Executors.Tests;

public sealed class ClaudeCodeExecutorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A success document as Claude Code 2.1 prints it with <c>--output-format json</c>.</summary>
    private static string Result(string text, double cost = 0.0123, int turns = 3) => $$$"""
        {"type":"result","subtype":"success","is_error":false,"api_error_status":null,"duration_ms":2117,"duration_api_ms":1918,"num_turns":{{{turns}}},"result":{{{JsonSerializer.Serialize(text)}}},"stop_reason":"end_turn","session_id":"10a4e733-5b9e-4c39-9f6e-0d2f6c1e8a11","total_cost_usd":{{{cost.ToString(System.Globalization.CultureInfo.InvariantCulture)}}},"usage":{"input_tokens":1200,"cache_creation_input_tokens":300,"cache_read_input_tokens":500,"output_tokens":85,"server_tool_use":{"web_search_requests":0,"web_fetch_requests":0},"service_tier":"standard"},"modelUsage":{"claude-sonnet-4-5":{"inputTokens":1200,"outputTokens":85,"cacheReadInputTokens":500,"cacheCreationInputTokens":300,"webSearchRequests":0,"costUSD":{{{cost.ToString(System.Globalization.CultureInfo.InvariantCulture)}}},"contextWindow":200000,"maxOutputTokens":32000}},"permission_denials":[],"terminal_reason":"completed","uuid":"4f1d2c3b-aaaa-bbbb-cccc-123456789abc"}

        """;

    private const string Capabilities = """
          mcp_servers: [github]
          shell:
            enabled: true
            allowed_commands: [git, pytest]
        """;

    [Fact]
    public async Task A_mention_is_answered_through_claude_with_its_documented_flags_and_only_allowed_environment()
    {
        await using var harness = await ExecutorHarness.StartAsync(
            ExecutorHarness.Config("claude-code", grants: "[hub:read, hub:write, github:read, filesystem:read]", capabilities: Capabilities),
            "claude");
        harness.Cli!.Prints(Result("Four, since 2 + 2 = 4."));
        var post = await harness.PostAsync("@coder what is 2+2?", Ct);

        var report = await harness.ActivateAsync(TaskType.Inbox, "act-claude-1", Ct);

        Assert.Equal(WorkOutcome.Succeeded, report.Outcome);
        Assert.Equal(["Four, since 2 + 2 = 4."], await harness.AgentCommentsAsync(post, Ct));
        Assert.Equal(0, await harness.UnreadAsync(Ct));
        Assert.Equal(2000, report.InputTokens); // input + cache creation + cache read
        Assert.Equal(85, report.OutputTokens);
        Assert.Equal(0.0123m, report.CostUsd); // as the tool reported it

        var run = Assert.Single(harness.Cli.Runs);
        var argv = run.Argv;
        Assert.Equal(["-p", "--output-format", "json", "--model", "claude-sonnet-4-5", "--max-turns", "7", "--append-system-prompt"], argv.Take(8));
        Assert.Contains("coder", run.After("--append-system-prompt"), StringComparison.Ordinal);
        Assert.Contains("--strict-mcp-config", argv);
        Assert.Equal("dontAsk", run.After("--permission-mode"));
        Assert.Contains("--no-session-persistence", argv);
        Assert.Equal("10", run.After("--max-budget-usd")); // the dev Hub's daily limit, nothing spent yet
        Assert.Equal(["Read", "Glob", "Grep", "Bash(git:*)", "Bash(pytest:*)", "mcp__hub", "mcp__github"], run.After("--allowedTools").Split(','));
        Assert.Equal("Read,Glob,Grep,Bash", run.After("--tools")); // the only built-in tools it has
        var disallowed = run.After("--disallowedTools").Split(',');
        Assert.Contains("Edit", disallowed); // no filesystem:write
        Assert.Contains("Write", disallowed);
        Assert.Contains("WebFetch", disallowed);
        Assert.Contains("mcp__github__create_issue", disallowed); // no github:write
        Assert.DoesNotContain("mcp__hub__hub_post", disallowed); // hub:write is held
        Assert.Contains("what is 2+2?", run.StandardInput, StringComparison.Ordinal);
        Assert.DoesNotContain(argv, a => a.Contains("what is 2+2?", StringComparison.Ordinal));

        // The MCP configuration: the Hub as the runner's endpoint on loopback with this activation's token (no Hub
        // key, no child process), github with only its token.
        using var mcp = JsonDocument.Parse(run.File("botburrow/mcp.json"));
        var servers = mcp.RootElement.GetProperty("mcpServers");
        var hub = servers.GetProperty("hub");
        Assert.Equal("http", hub.GetProperty("type").GetString());
        var endpoint = new Uri(hub.GetProperty("url").GetString()!);
        Assert.Equal("127.0.0.1", endpoint.Host);
        Assert.Equal("/mcp", endpoint.AbsolutePath);
        Assert.NotEqual(harness.Hub.Url.Port, endpoint.Port);
        var authorization = hub.GetProperty("headers").GetProperty("Authorization").GetString()!;
        Assert.Matches("^Bearer [A-Za-z0-9_-]{43}$", authorization); // 256 random bits
        Assert.Single(hub.GetProperty("headers").EnumerateObject());
        Assert.False(hub.TryGetProperty("env", out _));
        Assert.DoesNotContain(harness.Hub.AdminKey, run.Everything(), StringComparison.Ordinal);
        var github = servers.GetProperty("github");
        Assert.Equal(["-y", "@modelcontextprotocol/server-github"], github.GetProperty("args").EnumerateArray().Select(a => a.GetString()!));
        Assert.Equal(ExecutorHarness.GitHubToken, github.GetProperty("env").GetProperty("GITHUB_PERSONAL_ACCESS_TOKEN").GetString());
        Assert.Single(github.GetProperty("env").EnumerateObject());

        SecretChecks.OnlyAllowed(run, harness.WorkspaceRoot, "ANTHROPIC_API_KEY", "CLAUDE_CONFIG_DIR", "CLAUDE_CODE_MAX_RETRIES", "DISABLE_AUTOUPDATER", "DISABLE_TELEMETRY", "DISABLE_ERROR_REPORTING", "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC", "MCP_CONNECTION_NONBLOCKING", "ENABLE_TOOL_SEARCH");
        Assert.Equal(ExecutorHarness.AnthropicKey, run.Environment["ANTHROPIC_API_KEY"]);
        Assert.DoesNotContain(ExecutorHarness.GitHubToken, string.Concat(run.Environment.Values), StringComparison.Ordinal); // only in the github server's entry
        Assert.DoesNotContain(harness.Hub.AdminKey, string.Concat(run.Environment.Values), StringComparison.Ordinal);

        // The workspace is gone with the activation, and so is the token.
        Assert.Empty(Directory.GetFileSystemEntries(harness.WorkspaceRoot));
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"tools/list"}""", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("Authorization", authorization);
        using var revoked = await http.SendAsync(request, Ct);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, revoked.StatusCode);
    }

    [Fact]
    public async Task A_runner_that_lost_the_lease_does_not_start_the_tool()
    {
        await using var harness = await ExecutorHarness.StartAsync(ExecutorHarness.Config("claude-code"), "claude");
        harness.Cli!.Prints(Result("Should never be posted."));
        var post = await harness.PostAsync("@coder hello", Ct);
        var lease = new SwitchableLease("fence-1");
        lease.Lose("taken over by runner-2");

        var report = await harness.ActivateAsync(TaskType.Inbox, "act-claude-lease", lease, Ct);

        Assert.Equal(WorkOutcome.Cancelled, report.Outcome);
        Assert.Equal("lease lost: taken over by runner-2", report.Error);
        Assert.Empty(harness.Cli.Runs);
        Assert.Empty(await harness.AgentCommentsAsync(post, Ct));
        Assert.Equal(1, await harness.UnreadAsync(Ct));
        Assert.Single(harness.Logs.Entries, e => e.Event == "executor_not_started");
    }

    [Fact]
    public async Task A_SKIP_result_posts_nothing_and_marks_the_notification_read()
    {
        await using var harness = await ExecutorHarness.StartAsync(ExecutorHarness.Config("claude-code"), "claude");
        harness.Cli!.Prints(Result("SKIP"));
        var post = await harness.PostAsync("@coder nice weather today", Ct);

        var report = await harness.ActivateAsync(TaskType.Inbox, "act-claude-skip", Ct);

        Assert.Equal(WorkOutcome.Succeeded, report.Outcome);
        Assert.Equal(1, report.Skipped);
        Assert.Empty(await harness.AgentCommentsAsync(post, Ct));
        Assert.Equal(0, await harness.UnreadAsync(Ct));
    }

    [Fact]
    public async Task An_error_result_fails_the_activation_with_the_tools_own_words()
    {
        await using var harness = await ExecutorHarness.StartAsync(ExecutorHarness.Config("claude-code"), "claude");
        harness.Cli!.Prints(
            """{"type":"result","subtype":"success","is_error":true,"api_error_status":401,"duration_ms":80,"num_turns":1,"result":"Invalid API key · Fix external API key","session_id":"x","total_cost_usd":0,"usage":{"input_tokens":0,"output_tokens":0}}""" + "\n",
            exitCode: 1);
        var post = await harness.PostAsync("@coder hello?", Ct);

        var ex = await Assert.ThrowsAsync<ActivationFailedException>(() => harness.ActivateAsync(TaskType.Inbox, "act-claude-err", Ct));

        Assert.Equal("Executor 'claude-code' failed: Invalid API key · Fix external API key", ex.Message);
        Assert.Empty(await harness.AgentCommentsAsync(post, Ct));
        Assert.Equal(1, await harness.UnreadAsync(Ct)); // left for the retry
        var logged = await harness.Logs.WaitForAsync(e => e.Event == "executor_error");
        Assert.Contains("Invalid API key", logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reaching_max_turns_fails_with_the_turn_limit_named()
    {
        await using var harness = await ExecutorHarness.StartAsync(ExecutorHarness.Config("claude-code"), "claude");
        harness.Cli!.Prints(
            """{"type":"result","subtype":"error_max_turns","is_error":true,"duration_ms":900,"num_turns":8,"stop_reason":"tool_use","session_id":"x","total_cost_usd":0.02,"usage":{"input_tokens":10,"output_tokens":5},"terminal_reason":"max_turns","errors":["Reached maximum number of turns (7)"]}""" + "\n",
            exitCode: 1);
        await harness.PostAsync("@coder loop forever", Ct);

        var ex = await Assert.ThrowsAsync<ActivationFailedException>(() => harness.ActivateAsync(TaskType.Inbox, "act-claude-turns", Ct));

        Assert.Equal("Executor 'claude-code' failed: Reached maximum number of turns (7) (error_max_turns)", ex.Message);
    }

    [Fact]
    public async Task An_answer_already_posted_through_hub_post_is_not_posted_again()
    {
        // The fake posts through the runner's Hub endpoint as Claude Code would; the endpoint counts the post.
        await using var harness = await ExecutorHarness.StartAsync(
            ExecutorHarness.Config("claude-code"),
            "claude",
            extra: HubEndpointScript.Functions + "\n" + "mcp \"$(cat \"$rec/call\")\" > \"$run/mcp-call\"");
        harness.Cli!.Prints(Result("I replied in the thread."));
        var post = await harness.PostAsync("@coder please reply", Ct);
        File.WriteAllText(Path.Combine(harness.Cli.RecordDirectory, "call"), HubEndpointScript.Call("hub_post", $$"""{"content":"Replied through the Hub tool.","reply_to":"{{post}}"}"""));

        var report = await harness.ActivateAsync(TaskType.Inbox, "act-claude-tool", Ct);

        Assert.Equal(WorkOutcome.Succeeded, report.Outcome);
        var run = Assert.Single(harness.Cli.Runs);
        Assert.StartsWith("200", run.File("mcp-call"), StringComparison.Ordinal);
        Assert.Equal(["Replied through the Hub tool."], await harness.AgentCommentsAsync(post, Ct)); // the tool's post only, not the final text too
        await harness.Logs.WaitForAsync(e => e.Event == "published_through_tool");
        Assert.Equal(0, await harness.UnreadAsync(Ct));
    }

    [Fact]
    public async Task Claude_code_refuses_an_agent_whose_provider_is_not_anthropic()
    {
        await using var harness = await ExecutorHarness.StartAsync(ExecutorHarness.Config("claude-code", provider: "openai", model: "gpt-4o"), "claude");
        await harness.PostAsync("@coder hi", Ct);

        var ex = await Assert.ThrowsAsync<ActivationFailedException>(() => harness.ActivateAsync(TaskType.Inbox, "act-claude-provider", Ct));

        Assert.StartsWith("Executor 'claude-code' not available: claude-code speaks only to Anthropic's API", ex.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Cli!.Runs);
    }
}
