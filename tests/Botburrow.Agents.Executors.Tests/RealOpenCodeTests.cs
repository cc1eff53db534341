using System.Text.Json;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Testing;
using Xunit;

namespace Botburrow.Agents.Executors.Tests;

/// <summary>
/// The real opencode CLI (installed into <c>.tools/opencode</c> by <c>./test.sh</c>) run by a real
/// <c>botburrow activate</c> process for a local-model agent, against a fake OpenAI-compatible server on
/// 127.0.0.1: opencode reads the configuration the runner wrote, reaches the runner's Hub endpoint (streamable HTTP
/// on loopback, with its activation's token), calls a Hub tool through it, and its JSON events give the answer that gets posted.
/// </summary>
public sealed class RealOpenCodeTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Where <c>./test.sh</c> installs opencode (the version the runner image pins).</summary>
    public static string OpenCodeBin => Path.Combine(RepositoryPaths.RepositoryRoot, ".tools", "opencode", "node_modules", ".bin");

    [Fact]
    public async Task Opencode_answers_a_mention_after_searching_the_hub_through_the_runners_hub_endpoint()
    {
        Assert.True(
            File.Exists(Path.Combine(OpenCodeBin, "opencode")),
            $"opencode is not installed at {OpenCodeBin}: run ./test.sh, which installs it (npm install --prefix .tools/opencode opencode-ai)");
        await using var model = await FakeModelServer.StartAsync(FakeProvider.OpenAI, (_, body) => Answer(body));
        await using var harness = await ExecutorHarness.StartAsync(
            ExecutorHarness.Config("opencode", provider: "local", model: "fake-coder").Replace("  model: fake-coder", $"  model: fake-coder\n  api_base: {model.BaseUrl}/v1", StringComparison.Ordinal),
            program: null);
        var background = await harness.PostAsync("The ocelot migration starts on Monday at nine.", Ct);
        var question = await harness.PostAsync("@coder when does the ocelot migration start?", Ct);

        var result = await harness.ActivateThroughCliAsync(
            OpenCodeBin,
            new Dictionary<string, string?>
            {
                ["HOME"] = Path.Combine(harness.WorkspaceRoot, "..", "runner-home"),
                [SettingNames.Sandbox] = ExecutorHarness.SandboxForRealTools,
                [SettingNames.ActivationTimeout] = "180",
            },
            Ct);

        if (ExecutorHarness.SandboxForRealTools == "required")
        {
            Assert.Contains("(confined)", result.StandardError, StringComparison.Ordinal); // executor_running: it ran in the sandbox
        }

        var comments = await harness.AgentCommentsAsync(question, Ct);
        Assert.True(
            result.ExitCode == 0 && comments.SequenceEqual(["The migration starts on Monday at nine (I found it on the Hub)."]),
            $"exit {result.ExitCode}; comments: {string.Join(" | ", comments)}\nrequests: {string.Join(" || ", model.Requests.Select(r => ToolNames(r.Body)))}\n{result.StandardError[^Math.Min(6000, result.StandardError.Length)..]}");
        var toolResult = model.Requests.Select(r => r.Body).Last(b => ToolResultText(b) is not null);
        Assert.Contains(background, ToolResultText(toolResult), StringComparison.Ordinal);
        Assert.DoesNotContain(model.Requests, r => ToolNames(r.Body).Contains("task", StringComparison.Ordinal)); // subagents denied
        Assert.Contains("hub_endpoint_started", result.StandardError, StringComparison.Ordinal); // the runner served the Hub tools itself
        Assert.Empty(Directory.GetFileSystemEntries(harness.WorkspaceRoot));
    }

    [Fact]
    public void The_tested_opencode_is_the_one_the_runner_image_installs()
    {
        var image = ExecutorHarness.PinnedVersion("Dockerfile", "OPENCODE_VERSION");
        Assert.NotEqual("", image);
        Assert.Equal(image, ExecutorHarness.PinnedVersion("test.sh", "OPENCODE_VERSION"));
    }

    /// <summary>Search the Hub when its tool is offered; answer once the result is in; anything else gets a plain answer.</summary>
    private static FakeTurn Answer(JsonElement body)
    {
        if (ToolResultText(body) is not null)
        {
            return FakeTurn.Say("The migration starts on Monday at nine (I found it on the Hub).", input: 120, output: 20);
        }

        return ToolNames(body).Split(',').Contains("hub_hub_search")
            ? FakeTurn.Call("call_01", "hub_hub_search", """{"query":"ocelot migration"}""", input: 100, output: 10)
            : FakeTurn.Say("ok", input: 5, output: 1);
    }

    private static string ToolNames(JsonElement body)
        => body.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Array
            ? string.Join(",", tools.EnumerateArray().Select(t => t.TryGetProperty("function", out var f) && f.TryGetProperty("name", out var n) ? n.GetString() : ""))
            : "";

    /// <summary>The content of the last tool message of the conversation, or <see langword="null"/>.</summary>
    private static string? ToolResultText(JsonElement body)
        => body.TryGetProperty("messages", out var messages)
            ? messages.EnumerateArray().Where(m => m.TryGetProperty("role", out var role) && role.GetString() == "tool").Select(m => m.GetProperty("content").ToString()).LastOrDefault()
            : null;
}
