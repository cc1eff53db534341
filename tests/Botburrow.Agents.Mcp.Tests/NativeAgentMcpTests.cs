using Botburrow.Agents.Hub;
using Botburrow.Agents.Testing;
using Xunit;

namespace Botburrow.Agents.Mcp.Tests;

/// <summary>
/// End to end: <c>botburrow activate</c> runs a native agent (scripted brain) whose MCP server is the test server;
/// the brain's first turn calls the server's tool and its second turn quotes the result, which is posted to the Hub.
/// </summary>
public sealed class NativeAgentMcpTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_native_agent_gets_its_MCP_tools_result_in_its_next_turn()
    {
        await using var hub = await DevHubScope.StartAsync(("alpha", Config("calc", "")));
        var script = WriteScript(hub, """
            {"turns": [
              {"tool_calls": [{"name": "calc__add", "arguments": {"a": 2, "b": 3}}]},
              {"text": "The sum is {{tool_result}}"}
            ]}
            """);
        var post = await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "@alpha what is 2 + 3?", Community = "m/general" }, "e2e-1", Ct);

        var result = await ActivateAsync(hub, script);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        var thread = await hub.Client.GetPostAsync(post.Id, includeComments: true, Ct);
        var reply = Assert.Single(thread.Comments!, c => c.Author.Name == "alpha");
        Assert.Equal("The sum is 5", reply.Content);
        Assert.Contains("mcp_server_started", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_native_agent_holds_the_in_process_Hub_tools_its_grants_allow()
    {
        await using var hub = await DevHubScope.StartAsync(("alpha", Config(null, "")));
        var script = WriteScript(hub, """
            {"turns": [
              {"tool_calls": [{"name": "hub_search", "arguments": {"query": "pangolin"}}]},
              {"text": "Found: {{tool_result}}"}
            ]}
            """);
        await hub.Client.CreatePostAsync(new CreatePostRequest { User = "bob", Title = "Pangolin facts", Content = "pangolins have scales", Community = "m/general" }, "e2e-seed", Ct);
        var post = await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "@alpha search for it", Community = "m/general" }, "e2e-2", Ct);

        var result = await ActivateAsync(hub, script);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        var thread = await hub.Client.GetPostAsync(post.Id, includeComments: true, Ct);
        var reply = Assert.Single(thread.Comments!, c => c.Author.Name == "alpha");
        Assert.StartsWith("Found: {", reply.Content, StringComparison.Ordinal);
        Assert.Contains("\"Pangolin facts\"", reply.Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_answer_already_posted_through_hub_post_is_not_posted_again()
    {
        await using var hub = await DevHubScope.StartAsync(("alpha", Config(null, "")));
        var post = await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "@alpha please answer with the tool", Community = "m/general" }, "e2e-4", Ct);
        var script = WriteScript(hub, $$$"""
            {"turns": [
              {"tool_calls": [{"name": "hub_post", "arguments": {"content": "answered through the tool", "reply_to": "{{{post.Id}}}"}}]},
              {"text": "I have answered in the thread."}
            ]}
            """);

        var result = await ActivateAsync(hub, script);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        var thread = await hub.Client.GetPostAsync(post.Id, includeComments: true, Ct);
        var reply = Assert.Single(thread.Comments!, c => c.Author.Name == "alpha");
        Assert.Equal("answered through the tool", reply.Content);
        Assert.Contains("published_through_tool", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_MCP_server_that_cannot_start_fails_the_activation_with_the_guides_line()
    {
        await using var hub = await DevHubScope.StartAsync(("alpha", Config("crashy", "--crash-at-start")));
        var script = WriteScript(hub, """{"turns": [{"text": "never asked"}]}""");
        await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "@alpha hello", Community = "m/general" }, "e2e-3", Ct);

        var result = await ActivateAsync(hub, script);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("MCP server 'crashy' failed to start: ", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("mcp_server_start_failed", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_nothing_to_answer_no_server_is_started()
    {
        // The same broken server: a run with no unread notification never asks the model, so it starts nothing.
        await using var hub = await DevHubScope.StartAsync(("alpha", Config("crashy", "--crash-at-start")));
        var script = WriteScript(hub, """{"turns": [{"text": "never asked"}]}""");

        var result = await ActivateAsync(hub, script);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.DoesNotContain("mcp_server_start", result.StandardError, StringComparison.Ordinal);
    }

    private static string Config(string? server, string extraArg)
    {
        var servers = server is null ? "" : $$"""
              mcp_servers:
                - name: {{server}}
                  command: dotnet
                  args: ["{{TestServerPaths.Assembly}}"{{(extraArg.Length > 0 ? $", \"{extraArg}\"" : "")}}]
            """;
        return $"""
            name: alpha
            type: native
            brain:
              provider: anthropic
              model: claude-sonnet-4
            capabilities:
              grants: [hub:read, hub:write]
            {servers}
            """;
    }

    private static string WriteScript(DevHubScope hub, string json)
    {
        var path = Path.Combine(hub.Directory, "script.json");
        File.WriteAllText(path, json);
        return path;
    }

    private static Task<CliResult> ActivateAsync(DevHubScope hub, string script)
        => CliProcess.RunAsync(
            ["activate", "--agent", "alpha", "--once"],
            new Dictionary<string, string?>
            {
                ["HUB_URL"] = hub.Url.ToString(),
                ["HUB_API_KEY"] = DevHubScope.AdminKey,
                ["AGENT_DEFINITIONS_PATH"] = hub.Directory,
                ["SCRIPTED_BRAIN"] = script,
                ["LOG_FORMAT"] = "json",
            },
            cancellationToken: Ct);
}
