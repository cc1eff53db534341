using System.Text.Json;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Testing;
using Xunit;

namespace Botburrow.Agents.Executors.Tests;

/// <summary>
/// The real Claude Code CLI (installed into <c>.tools/claude-code</c> by <c>./test.sh</c>) run by a real
/// <c>botburrow activate</c> process against a fake Anthropic API on 127.0.0.1: the flags are the tool's own, the
/// tool reaches the runner's Hub endpoint (streamable HTTP on loopback, with its activation's token) from the
/// configuration the runner wrote and calls a Hub tool through it, and the answer it prints is what gets posted.
/// </summary>
public sealed class RealClaudeCodeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Where <c>./test.sh</c> installs Claude Code (the version the runner image pins).</summary>
    public static string ClaudeBin => Path.Combine(RepositoryPaths.RepositoryRoot, ".tools", "claude-code", "node_modules", ".bin");

    [Fact]
    public async Task Claude_code_answers_a_mention_after_searching_the_hub_through_the_runners_hub_endpoint()
    {
        Assert.True(
            File.Exists(Path.Combine(ClaudeBin, "claude")),
            $"Claude Code is not installed at {ClaudeBin}: run ./test.sh, which installs it (npm install --prefix .tools/claude-code @anthropic-ai/claude-code)");
        await using var model = await FakeModelServer.StartAsync(FakeProvider.Anthropic, (_, body) => Answer(body));
        await using var harness = await ExecutorHarness.StartAsync(ExecutorHarness.Config("claude-code"), program: null);
        var background = await harness.PostAsync("The ocelot migration starts on Monday at nine.", Ct);
        var question = await harness.PostAsync("@coder when does the ocelot migration start?", Ct);

        var result = await harness.ActivateThroughCliAsync(
            ClaudeBin,
            new Dictionary<string, string?>
            {
                [SettingNames.AnthropicApiKey] = "sk-ant-real-cli-test",
                [SettingNames.AnthropicBaseUrl] = model.BaseUrl,
                [SettingNames.Sandbox] = ExecutorHarness.SandboxForRealTools,
                [SettingNames.ActivationTimeout] = "120",
            },
            Ct);

        if (ExecutorHarness.SandboxForRealTools == "required")
        {
            Assert.Contains("(confined)", result.StandardError, StringComparison.Ordinal); // executor_running: it ran in the sandbox
        }

        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}\n{result.StandardOutput}\n{result.StandardError}\nmodel requests: {model.Requests.Count}");
        Assert.True(
            (await harness.AgentCommentsAsync(question, Ct)).SequenceEqual(["The migration starts on Monday at nine (I found it on the Hub)."]),
            "requests: " + string.Join(" || ", model.Requests.Select(r => Describe(r.Body))) + "\nstderr: " + result.StandardError[^Math.Min(6000, result.StandardError.Length)..]);

        // The model was offered the Hub's tools through MCP and got a real search result back from the dev Hub.
        var toolRequest = model.Requests.Select(r => r.Body).First(HasHubSearch);
        Assert.Contains(toolRequest.GetProperty("tools").EnumerateArray(), t => t.GetProperty("name").GetString() == "mcp__hub__hub_post");
        var toolResult = model.Requests.Select(r => r.Body).Last(b => ToolResultText(b) is not null);
        Assert.Contains(background, ToolResultText(toolResult), StringComparison.Ordinal);
        Assert.All(model.Requests, r => Assert.NotEqual("", r.Body.GetProperty("model").GetString()));
        Assert.Contains("hub_endpoint_started", result.StandardError, StringComparison.Ordinal); // the runner served the Hub tools itself
        Assert.Empty(Directory.GetFileSystemEntries(harness.WorkspaceRoot));
    }

    [Fact]
    public void The_tested_claude_code_is_the_one_the_runner_image_installs()
    {
        var image = ExecutorHarness.PinnedVersion("Dockerfile", "CLAUDE_CODE_VERSION");
        Assert.NotEqual("", image);
        Assert.Equal(image, ExecutorHarness.PinnedVersion("test.sh", "CLAUDE_CODE_VERSION"));
    }

    /// <summary>First ask for a Hub search; once its result is in the conversation, answer. Side requests get a plain answer.</summary>
    private static FakeTurn Answer(JsonElement body)
    {
        if (ToolResultText(body) is not null)
        {
            return FakeTurn.Say("The migration starts on Monday at nine (I found it on the Hub).", input: 120, output: 20);
        }

        return HasHubSearch(body)
            ? FakeTurn.Call("toolu_01", "mcp__hub__hub_search", """{"query":"ocelot migration"}""", input: 100, output: 10)
            : FakeTurn.Say("ok", input: 5, output: 1);
    }

    private static string Describe(JsonElement body)
        => (body.TryGetProperty("model", out var m) ? m.GetString() : "?") + " tools=["
            + (body.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array ? string.Join(",", tools.EnumerateArray().Select(t => t.TryGetProperty("name", out var n) ? n.GetString() : "?")) : "")
            + "] messages=" + (body.TryGetProperty("messages", out var messages) ? messages.GetArrayLength() : 0);

    private static bool HasHubSearch(JsonElement body)
        => body.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array
            && tools.EnumerateArray().Any(t => t.TryGetProperty("name", out var name) && name.GetString() == "mcp__hub__hub_search");

    /// <summary>The text of the last tool_result block in the conversation, or <see langword="null"/>.</summary>
    private static string? ToolResultText(JsonElement body)
    {
        if (!body.TryGetProperty("messages", out var messages))
        {
            return null;
        }

        string? found = null;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array)
            {
                foreach (var block in content.EnumerateArray().Where(b => b.TryGetProperty("type", out var type) && type.GetString() == "tool_result"))
                {
                    found = block.TryGetProperty("content", out var inner) ? inner.GetRawText() : "";
                }
            }
        }

        return found;
    }
}
