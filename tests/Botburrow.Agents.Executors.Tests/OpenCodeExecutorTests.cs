using System.Text.Json;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Agents.Executors.Tests;

public sealed class OpenCodeExecutorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The JSON event lines <c>opencode run --format json</c> prints: a tool step, then the answer step.</summary>
    private const string Events = """
        {"type":"step_start","timestamp":1764400000000,"sessionID":"ses_abc","part":{"id":"prt_1","sessionID":"ses_abc","messageID":"msg_1","type":"step-start"}}
        {"type":"text","timestamp":1764400000100,"sessionID":"ses_abc","part":{"id":"prt_2","sessionID":"ses_abc","messageID":"msg_1","type":"text","text":"Checking the thread first.","time":{"start":1764400000050,"end":1764400000100}}}
        {"type":"tool_use","timestamp":1764400000200,"sessionID":"ses_abc","part":{"id":"prt_3","sessionID":"ses_abc","messageID":"msg_1","type":"tool","callID":"call_1","tool":"hub_hub_get_thread","state":{"status":"completed","input":{"post_id":"p1"},"output":"{}","title":"","metadata":{},"time":{"start":1764400000150,"end":1764400000200}}}}
        {"type":"step_finish","timestamp":1764400000300,"sessionID":"ses_abc","part":{"id":"prt_4","sessionID":"ses_abc","messageID":"msg_1","type":"step-finish","reason":"tool-calls","cost":0.0021,"tokens":{"total":1100,"input":900,"output":40,"reasoning":10,"cache":{"read":150,"write":0}}}}
        {"type":"step_start","timestamp":1764400000400,"sessionID":"ses_abc","part":{"id":"prt_5","sessionID":"ses_abc","messageID":"msg_2","type":"step-start"}}
        {"type":"text","timestamp":1764400000600,"sessionID":"ses_abc","part":{"id":"prt_6","sessionID":"ses_abc","messageID":"msg_2","type":"text","text":"Use a reader lock here.","time":{"start":1764400000450,"end":1764400000600}}}
        {"type":"step_finish","timestamp":1764400000700,"sessionID":"ses_abc","part":{"id":"prt_7","sessionID":"ses_abc","messageID":"msg_2","type":"step-finish","reason":"stop","cost":0.0012,"tokens":{"total":1300,"input":1000,"output":30,"reasoning":0,"cache":{"read":250,"write":20}}}}

        """;

    [Fact]
    public async Task A_mention_is_answered_through_opencode_run_with_its_config_file()
    {
        await using var harness = await ExecutorHarness.StartAsync(
            ExecutorHarness.Config(
                "opencode",
                grants: "[hub:read, hub:write, github:read, filesystem:read, filesystem:write]",
                capabilities: "  mcp_servers: [github]\n  shell:\n    enabled: true\n    allowed_commands: [git]"),
            "opencode");
        harness.Cli!.Prints(Events);
        var post = await harness.PostAsync("@coder how do I avoid this race?", Ct);

        var report = await harness.ActivateAsync(TaskType.Inbox, "act-opencode-1", Ct);

        Assert.Equal(WorkOutcome.Succeeded, report.Outcome);
        Assert.Equal(["Use a reader lock here."], await harness.AgentCommentsAsync(post, Ct)); // the last step only
        Assert.Equal(900 + 150 + 1000 + 250 + 20, report.InputTokens);
        Assert.Equal(40 + 10 + 30, report.OutputTokens);
        Assert.Equal(0.0033m, report.CostUsd);

        var run = Assert.Single(harness.Cli.Runs);
        Assert.Equal(["run", "--format", "json", "--model", "anthropic/claude-sonnet-4-5"], run.Argv.Take(5));
        Assert.Contains("how do I avoid this race?", run.Argv[^1], StringComparison.Ordinal);
        Assert.Equal("", run.StandardInput); // closed at once: opencode reads piped input to its end

        Assert.Equal(Path.Combine(Path.GetDirectoryName(run.WorkingDirectory)!, ".botburrow", "opencode.json"), run.Environment["OPENCODE_CONFIG"]);
        using var config = JsonDocument.Parse(run.File("botburrow/opencode.json"));
        var root = config.RootElement;
        Assert.Equal("disabled", root.GetProperty("share").GetString());
        Assert.False(root.GetProperty("autoupdate").GetBoolean());
        var instructions = root.GetProperty("instructions")[0].GetString()!;
        Assert.Contains("coder", run.File("botburrow/" + Path.GetFileName(instructions)), StringComparison.Ordinal);
        var permission = root.GetProperty("permission");
        Assert.Equal("allow", permission.GetProperty("edit").GetString());
        Assert.Equal("deny", permission.GetProperty("webfetch").GetString());
        Assert.Equal("deny", permission.GetProperty("external_directory").GetString());
        var bash = permission.GetProperty("bash");
        Assert.Equal("deny", bash.GetProperty("*").GetString());
        Assert.Equal("allow", bash.GetProperty("git *").GetString());
        var hub = root.GetProperty("mcp").GetProperty("hub");
        Assert.Equal("remote", hub.GetProperty("type").GetString()); // the runner's Hub endpoint, with this activation's token
        Assert.Equal("127.0.0.1", new Uri(hub.GetProperty("url").GetString()!).Host);
        Assert.Matches("^Bearer [A-Za-z0-9_-]{43}$", hub.GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.DoesNotContain(harness.Hub.AdminKey, run.Everything(), StringComparison.Ordinal);
        Assert.Equal(ExecutorHarness.GitHubToken, root.GetProperty("mcp").GetProperty("github").GetProperty("environment").GetProperty("GITHUB_PERSONAL_ACCESS_TOKEN").GetString());
        Assert.False(root.GetProperty("tools").GetProperty("github_create_issue").GetBoolean()); // no github:write

        SecretChecks.OnlyAllowed(run, harness.WorkspaceRoot, "OPENCODE_CONFIG", "OPENCODE_DISABLE_AUTOUPDATE", "OPENCODE_DISABLE_CLAUDE_CODE", "XDG_CACHE_HOME", "ANTHROPIC_API_KEY");
    }

    [Fact]
    public async Task An_error_event_fails_the_activation_with_its_message()
    {
        await using var harness = await ExecutorHarness.StartAsync(ExecutorHarness.Config("opencode"), "opencode");
        harness.Cli!.Prints(
            """{"type":"error","timestamp":1764400000000,"sessionID":"ses_abc","error":{"name":"ProviderAuthError","data":{"providerID":"anthropic","message":"invalid x-api-key"}}}""" + "\n",
            exitCode: 1);
        await harness.PostAsync("@coder hi", Ct);

        var ex = await Assert.ThrowsAsync<ActivationFailedException>(() => harness.ActivateAsync(TaskType.Inbox, "act-opencode-err", Ct));

        Assert.Equal("Executor 'opencode' failed: reported an error: invalid x-api-key", ex.Message);
    }

    [Fact]
    public async Task A_local_model_becomes_an_openai_compatible_provider_entry()
    {
        await using var harness = await ExecutorHarness.StartAsync(
            ExecutorHarness.Config("opencode", provider: "local", model: "qwen2.5-coder").Replace("  model: qwen2.5-coder", "  model: qwen2.5-coder\n  api_base: http://127.0.0.1:11434/v1", StringComparison.Ordinal),
            "opencode");
        harness.Cli!.Prints(Events);
        await harness.PostAsync("@coder hi", Ct);

        await harness.ActivateAsync(TaskType.Inbox, "act-opencode-local", Ct);

        var run = Assert.Single(harness.Cli.Runs);
        Assert.Equal("botburrow-local/qwen2.5-coder", run.After("--model"));
        using var config = JsonDocument.Parse(run.File("botburrow/opencode.json"));
        var provider = config.RootElement.GetProperty("provider").GetProperty("botburrow-local");
        Assert.Equal("@ai-sdk/openai-compatible", provider.GetProperty("npm").GetString());
        Assert.Equal("http://127.0.0.1:11434/v1", provider.GetProperty("options").GetProperty("baseURL").GetString());
        Assert.True(provider.GetProperty("models").TryGetProperty("qwen2.5-coder", out _));
    }
}
