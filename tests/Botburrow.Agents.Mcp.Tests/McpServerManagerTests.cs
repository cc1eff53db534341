using System.Text.Json;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Grants;
using Botburrow.Agents.Mcp.Catalog;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Botburrow.Agents.Testing;
using Xunit;

namespace Botburrow.Agents.Mcp.Tests;

/// <summary>The MCP manager against the real test server as a child process.</summary>
public sealed class McpServerManagerTests : IDisposable
{
    private const string RunnerSecret = "BOTBURROW_TEST_RUNNER_SECRET";
    private const string CredentialSetting = "TEST_SERVICE_KEY";

    /// <summary>A built-in server like github: needs test:read, hides write_note without test:write, receives one credential.</summary>
    private static readonly BuiltInServer TestServer = new()
    {
        Name = "test",
        CommandLine = (_, _) => ["dotnet", TestServerPaths.Assembly],
        ReadGrant = "test:read",
        WriteGrant = "test:write",
        WriteTools = new HashSet<string>(["write_note"], StringComparer.Ordinal),
        Credentials = [new CredentialMapping(CredentialSetting, "TEST_TOKEN")],
    };

    private readonly string _workspace = Directory.CreateTempSubdirectory("botburrow-mcp-ws-").FullName;
    private readonly LogCapture _logs = new();

    public McpServerManagerTests()
    {
        // Secrets the runner holds: none may reach a server that was not given them.
        Environment.SetEnvironmentVariable(RunnerSecret, "runner-only-secret");
        Environment.SetEnvironmentVariable("GITHUB_PAT", "ghp_runner_secret");
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(RunnerSecret, null);
        Environment.SetEnvironmentVariable("GITHUB_PAT", null);
        Directory.Delete(_workspace, recursive: true);
    }

    [Fact]
    public async Task A_granted_server_gets_its_credential_and_no_other_secret()
    {
        await using var session = await StartAsync(["test:read"], [BuiltIn("test")]);
        var env = await CallAsync(session, "test__get_env", new() { ["names"] = $"TEST_TOKEN,{RunnerSecret},GITHUB_PAT,{CredentialSetting},PATH" });
        var values = JsonSerializer.Deserialize<Dictionary<string, string?>>(env)!;
        Assert.Equal("granted-token", values["TEST_TOKEN"]);
        Assert.Null(values[RunnerSecret]);
        Assert.Null(values["GITHUB_PAT"]);
        Assert.Null(values[CredentialSetting]); // under its own name only, not the runner's
        Assert.False(string.IsNullOrEmpty(values["PATH"])); // the SDK's safe defaults
        Assert.Equal("runner-only-secret", Environment.GetEnvironmentVariable(RunnerSecret));
    }

    [Fact]
    public async Task A_custom_server_gets_only_its_own_env_and_runs_in_the_workspace()
    {
        var custom = new McpServerReference { Name = "mine", Command = "dotnet", Args = [TestServerPaths.Assembly], Env = new Dictionary<string, string> { ["MY_SETTING"] = "from-config" } };
        await using var session = await StartAsync([], [custom]);
        var values = JsonSerializer.Deserialize<Dictionary<string, string?>>(await CallAsync(session, "mine__get_env", new() { ["names"] = $"MY_SETTING,{RunnerSecret},GITHUB_PAT" }))!;
        Assert.Equal("from-config", values["MY_SETTING"]);
        Assert.Null(values[RunnerSecret]);
        Assert.Null(values["GITHUB_PAT"]);
        Assert.Equal(Path.GetFullPath(_workspace), Path.GetFullPath(await CallAsync(session, "mine__cwd", [])));
    }

    [Fact]
    public async Task Tool_calls_round_trip_under_namespaced_names()
    {
        await using var session = await StartAsync(["test:*"], [BuiltIn("test")]);
        Assert.Equal(["test__add", "test__cwd", "test__get_env", "test__wait", "test__write_note"], session.Tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Equal("5", await CallAsync(session, "test__add", new() { ["a"] = 2, ["b"] = 3 }));
        Assert.Equal("noted: hi", await CallAsync(session, "test__write_note", new() { ["text"] = "hi" }));
        var calls = _logs.Entries.Where(e => e.Event == "mcp_tool_call").Select(e => e.Message).ToList();
        Assert.Equal(2, calls.Count);
        Assert.All(calls, m => Assert.Matches("(?i)tool_call", m)); // what the guide greps for
        Assert.Contains(calls, m => m.Contains("MCP server 'test' tool 'test__add' response ok after", StringComparison.Ordinal));
        await _logs.WaitForAsync(e => e.Event == "mcp_server_started" && e.Message.Contains("'test'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Read_only_grants_hide_the_write_tools()
    {
        await using var session = await StartAsync(["test:read"], [BuiltIn("test")]);
        Assert.DoesNotContain("test__write_note", session.Tools.Select(t => t.Name));
        Assert.Contains("test__add", session.Tools.Select(t => t.Name));
        await _logs.WaitForAsync(e => e.Event == "mcp_tools_hidden" && e.Message.Contains("write_note", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_whose_grant_is_not_held_does_not_start()
    {
        await using var session = await StartAsync(["test:write:x", "github:read"], [BuiltIn("test")]);
        Assert.Empty(session.Tools);
        Assert.Empty(session.Servers);
        var skipped = await _logs.WaitForAsync(e => e.Event == "mcp_server_skipped");
        Assert.Contains("test:read is not held", skipped.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_granted_server_without_its_credential_names_the_variable()
    {
        var ex = await Assert.ThrowsAsync<McpServerException>(() => StartAsync(["test:read"], [BuiltIn("test")], credential: null));
        Assert.Equal($"MCP server 'test' needs {CredentialSetting}, which is not set", ex.Message);
    }

    [Fact]
    public async Task The_catalogs_github_server_needs_GITHUB_PAT()
    {
        var manager = new McpServerManager(new McpOptions { Environment = new Dictionary<string, string?>() }, _logs.Factory());
        var ex = await Assert.ThrowsAsync<McpServerException>(() => manager.StartAsync([BuiltIn("github")], Context(["github:read"]), TestContext.Current.CancellationToken));
        Assert.Equal("MCP server 'github' needs GITHUB_PAT, which is not set", ex.Message);
    }

    [Fact]
    public async Task A_server_crashing_at_start_gives_the_guides_error()
    {
        var crashy = new McpServerReference { Name = "crashy", Command = "dotnet", Args = [TestServerPaths.Assembly, "--crash-at-start"] };
        var ex = await Assert.ThrowsAsync<McpServerException>(() => StartAsync([], [crashy]));
        Assert.StartsWith("MCP server 'crashy' failed to start: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("refusing to start", ex.Message, StringComparison.Ordinal); // its stderr tells why
        await _logs.WaitForAsync(e => e.Event == "mcp_server_start_failed" && e.Level == LogLevel.Error);
    }

    [Fact]
    public async Task A_missing_command_gives_the_guides_error()
    {
        var missing = new McpServerReference { Name = "ghost", Command = "/nonexistent/mcp-server" };
        var ex = await Assert.ThrowsAsync<McpServerException>(() => StartAsync([], [missing]));
        Assert.StartsWith("MCP server 'ghost' failed to start: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_stderr_reaches_the_logs()
    {
        await using var session = await StartAsync(["test:read"], [BuiltIn("test")]);
        var line = await _logs.WaitForAsync(e => e.Event == "mcp_server_stderr");
        Assert.Equal(LogLevel.Debug, line.Level);
        Assert.Contains("test server: started", line.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_call_past_MCP_TIMEOUT_fails_with_a_clear_error()
    {
        await using var session = await StartAsync(["test:read"], [BuiltIn("test")], timeout: TimeSpan.FromSeconds(2));
        var wait = (AIFunction)session.Tools.Single(t => t.Name == "test__wait");
        var ex = await Assert.ThrowsAsync<TimeoutException>(async () => await wait.InvokeAsync(new() { ["milliseconds"] = 60_000 }, TestContext.Current.CancellationToken));
        Assert.Equal("MCP tool 'test__wait' timed out after 2 s (MCP_TIMEOUT)", ex.Message);
        var error = Assert.Single(_logs.Entries, e => e.Event == "mcp_tool_error");
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Warning, error.Level);
        Assert.Matches("(?i)mcp.*error", error.Message); // what the guide greps for
        Assert.Contains("'test__wait'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_logs.Entries, e => e.Event == "mcp_tool_call");
    }

    private static McpServerReference BuiltIn(string name) => new() { Name = name };

    private McpStartContext Context(string[] grants)
        => new() { AgentName = "tester", ActivationId = "act-1", Grants = EffectiveGrants.Evaluate("tester", grants, PermissionsPolicy.None), WorkspaceDirectory = _workspace };

    private Task<McpSession> StartAsync(string[] grants, McpServerReference[] servers, string? credential = "granted-token", TimeSpan? timeout = null)
    {
        var options = new McpOptions
        {
            Catalog = [TestServer, .. McpCatalog.All],
            Environment = new Dictionary<string, string?> { [CredentialSetting] = credential },
            Timeout = timeout ?? TimeSpan.FromSeconds(60),
        };
        return new McpServerManager(options, _logs.Factory()).StartAsync(servers, Context(grants), TestContext.Current.CancellationToken);
    }

    private static async Task<string> CallAsync(McpSession session, string tool, AIFunctionArguments arguments)
    {
        var function = (AIFunction)session.Tools.Single(t => t.Name == tool);
        var result = await function.InvokeAsync(arguments, TestContext.Current.CancellationToken);
        return ResultText(result);
    }

    internal static string ResultText(object? result) => result switch
    {
        JsonElement { ValueKind: JsonValueKind.String } s => s.GetString()!,
        JsonElement element when element.TryGetProperty("content", out var content) => string.Concat(content.EnumerateArray().Select(c => c.GetProperty("text").GetString())),
        _ => result?.ToString() ?? "",
    };
}
