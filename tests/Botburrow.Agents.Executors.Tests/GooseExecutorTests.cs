using System.Text.Json;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Agents.Executors.Tests;

public sealed class GooseExecutorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The document <c>goose run --output-format json</c> prints at the end (pretty-printed), after a tool call.</summary>
    private const string Output = """
        {
          "messages": [
            {
              "id": "msg_1",
              "role": "user",
              "created": 1764400000,
              "content": [{ "type": "text", "text": "the prompt" }],
              "metadata": { "userVisible": true, "agentVisible": true }
            },
            {
              "id": "msg_2",
              "role": "assistant",
              "created": 1764400001,
              "content": [
                { "type": "text", "text": "Let me look that up." },
                { "type": "toolRequest", "id": "call_1", "toolCall": { "status": "success", "value": { "name": "hub__hub_search", "arguments": { "query": "ports" } } } }
              ],
              "metadata": { "userVisible": true, "agentVisible": true }
            },
            {
              "id": "msg_3",
              "role": "user",
              "created": 1764400002,
              "content": [{ "type": "toolResponse", "id": "call_1", "toolResult": { "status": "success", "value": [] } }],
              "metadata": { "userVisible": true, "agentVisible": true }
            },
            {
              "id": "msg_4",
              "role": "assistant",
              "created": 1764400003,
              "content": [{ "type": "text", "text": "Port 8080 is the Hub's default." }],
              "metadata": { "userVisible": true, "agentVisible": true }
            }
          ],
          "metadata": {
            "total_tokens": 1540,
            "input_tokens": 1400,
            "output_tokens": 140,
            "cache_read_input_tokens": 0,
            "cache_write_input_tokens": 0,
            "cost_usd": 0.0063,
            "status": "completed"
          }
        }

        """;

    [Fact]
    public async Task A_mention_is_answered_through_goose_run_with_its_documented_flags_and_extensions_in_its_own_config()
    {
        await using var harness = await ExecutorHarness.StartAsync(
            ExecutorHarness.Config("goose", grants: "[hub:read, hub:write, github:*]", capabilities: "  mcp_servers: [github]"),
            "goose");
        harness.Cli!.Prints(Output);
        var post = await harness.PostAsync("@coder which port does the Hub use?", Ct);

        var report = await harness.ActivateAsync(TaskType.Inbox, "act-goose-1", Ct);

        Assert.Equal(WorkOutcome.Succeeded, report.Outcome);
        Assert.Equal(["Port 8080 is the Hub's default."], await harness.AgentCommentsAsync(post, Ct));
        Assert.Equal(1400, report.InputTokens);
        Assert.Equal(140, report.OutputTokens);
        Assert.Equal(0.0063m, report.CostUsd);

        var run = Assert.Single(harness.Cli.Runs);
        Assert.Equal(["run", "--no-session", "--quiet", "--output-format", "json", "--max-turns", "7", "--system"], run.Argv.Take(8));
        Assert.Contains("coder", run.After("--system"), StringComparison.Ordinal);
        Assert.Equal(["--instructions", "-"], run.Argv.TakeLast(2));
        Assert.Contains("which port does the Hub use?", run.StandardInput, StringComparison.Ordinal);

        using var config = JsonDocument.Parse(run.File("home-config/goose/config.yaml")); // JSON is YAML
        var extensions = config.RootElement.GetProperty("extensions");
        Assert.False(extensions.GetProperty("developer").GetProperty("enabled").GetBoolean()); // no shell for this agent
        var hub = extensions.GetProperty("hub"); // the runner's Hub endpoint, with this activation's token
        Assert.Equal("streamable_http", hub.GetProperty("type").GetString());
        Assert.Equal("127.0.0.1", new Uri(hub.GetProperty("uri").GetString()!).Host);
        Assert.Matches("^Bearer [A-Za-z0-9_-]{43}$", hub.GetProperty("headers").GetProperty("Authorization").GetString());
        Assert.DoesNotContain(harness.Hub.AdminKey, run.Everything(), StringComparison.Ordinal);
        var github = extensions.GetProperty("github");
        Assert.Equal("npx", github.GetProperty("cmd").GetString());
        Assert.Equal(ExecutorHarness.GitHubToken, github.GetProperty("envs").GetProperty("GITHUB_PERSONAL_ACCESS_TOKEN").GetString());

        SecretChecks.OnlyAllowed(run, harness.WorkspaceRoot, "GOOSE_PROVIDER", "GOOSE_MODEL", "GOOSE_MODE", "GOOSE_DISABLE_KEYRING", "GOOSE_DISABLE_SESSION_NAMING", "GOOSE_TELEMETRY_ENABLED", "GOOSE_CLI_THEME", "ANTHROPIC_API_KEY");
        Assert.Equal("anthropic", run.Environment["GOOSE_PROVIDER"]);
        Assert.Equal("claude-sonnet-4-5", run.Environment["GOOSE_MODEL"]);
        Assert.Equal("auto", run.Environment["GOOSE_MODE"]);
        Assert.Equal(ExecutorHarness.AnthropicKey, run.Environment["ANTHROPIC_API_KEY"]);
    }

    [Fact]
    public async Task A_server_whose_write_tools_the_agent_may_not_use_runs_behind_the_mcp_filter()
    {
        await using var harness = await ExecutorHarness.StartAsync(
            ExecutorHarness.Config("goose", grants: "[hub:read, hub:write, github:read]", capabilities: "  mcp_servers: [github]"),
            "goose");
        harness.Cli!.Prints(Output);
        await harness.PostAsync("@coder any open issues?", Ct);

        await harness.ActivateAsync(TaskType.Inbox, "act-goose-filter", Ct);

        var run = Assert.Single(harness.Cli.Runs);
        using var config = JsonDocument.Parse(run.File("home-config/goose/config.yaml"));
        var github = config.RootElement.GetProperty("extensions").GetProperty("github");
        var args = github.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).ToList();
        var filter = args.IndexOf("filter");
        Assert.True(filter > 0 && args[filter - 1] == "mcp", string.Join(' ', args));
        Assert.Contains("create_issue", args[args.IndexOf("--hide") + 1].Split(','));
        Assert.Equal("github:write", args[args.IndexOf("--grant") + 1]);
        Assert.Equal(["--", "npx", "-y", "@modelcontextprotocol/server-github"], args.Skip(args.IndexOf("--")));
        Assert.Equal(ExecutorHarness.GitHubToken, github.GetProperty("envs").GetProperty("GITHUB_PERSONAL_ACCESS_TOKEN").GetString());
        var hub = config.RootElement.GetProperty("extensions").GetProperty("hub"); // an HTTP server: never behind the filter
        Assert.Equal("streamable_http", hub.GetProperty("type").GetString());
        Assert.False(hub.TryGetProperty("args", out _));
    }

    [Fact]
    public async Task An_openai_compatible_agent_gets_goose_openai_provider_with_its_host_and_path()
    {
        await using var harness = await ExecutorHarness.StartAsync(
            ExecutorHarness.Config("goose", provider: "openai", model: "gpt-4o-mini", extra: "") .Replace("  model: gpt-4o-mini", "  model: gpt-4o-mini\n  api_base: http://127.0.0.1:11434/v1", StringComparison.Ordinal),
            "goose");
        harness.Cli!.Prints(Output);
        await harness.PostAsync("@coder hi", Ct);

        await harness.ActivateAsync(TaskType.Inbox, "act-goose-openai", Ct);

        var run = Assert.Single(harness.Cli.Runs);
        Assert.Equal("openai", run.Environment["GOOSE_PROVIDER"]);
        Assert.Equal("http://127.0.0.1:11434", run.Environment["OPENAI_HOST"]);
        Assert.Equal("v1/chat/completions", run.Environment["OPENAI_BASE_PATH"]);
        Assert.Equal(ExecutorHarness.OpenAIKey, run.Environment["OPENAI_API_KEY"]);
        Assert.False(run.Environment.ContainsKey("ANTHROPIC_API_KEY"));
    }

    [Fact]
    public async Task A_goose_error_status_fails_the_activation()
    {
        await using var harness = await ExecutorHarness.StartAsync(ExecutorHarness.Config("goose"), "goose");
        harness.Cli!.Prints("""{"messages":[],"metadata":{"total_tokens":null,"status":"error"}}""" + "\n", exitCode: 1, stderr: "Error: request failed: 401 Unauthorized\n");
        await harness.PostAsync("@coder hi", Ct);

        var ex = await Assert.ThrowsAsync<ActivationFailedException>(() => harness.ActivateAsync(TaskType.Inbox, "act-goose-err", Ct));

        Assert.Equal("Executor 'goose' failed: reported an error: Error: request failed: 401 Unauthorized", ex.Message);
    }
}
