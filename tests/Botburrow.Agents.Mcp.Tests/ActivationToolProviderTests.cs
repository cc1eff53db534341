using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Mcp.Hub;
using Botburrow.Agents.Testing;
using Xunit;

namespace Botburrow.Agents.Mcp.Tests;

public sealed class ActivationToolProviderTests : IAsyncDisposable
{
    private static readonly HubWriteCheck AllowWrites = _ => ValueTask.FromResult<string?>(null);

    private readonly string _root = Directory.CreateTempSubdirectory("botburrow-ws-root-").FullName;
    private readonly HttpClient _http = new();
    private readonly LogCapture _logs = new();
    private readonly HubGateway _gateway;

    public ActivationToolProviderTests()
    {
        _gateway = new HubGateway(new HubClient(_http, new HubClientOptions { BaseUrl = new Uri("http://127.0.0.1:9/") }), _logs.Factory());
    }

    public async ValueTask DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _http.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task Hub_tools_follow_the_effective_grants()
    {
        var policy = Path.Combine(_root, "permissions.yaml");
        File.WriteAllText(policy, "agents:\n  reader:\n    denied_grants: [hub:write]\n");
        var provider = Provider(policy);

        await using (var both = await provider.OpenAsync(Agent("writer", ["hub:read", "hub:write"]), "a1", AllowWrites, TestContext.Current.CancellationToken))
        {
            Assert.Empty(both.Tools); // 'writer' is not in the policy and there is no default: no grants at all
        }

        await using var reader = await provider.OpenAsync(Agent("reader", ["hub:*"]), "a2", AllowWrites, TestContext.Current.CancellationToken);
        Assert.Equal(["hub_get_notifications", "hub_get_thread", "hub_search"], reader.Tools.Select(t => t.Name).Order(StringComparer.Ordinal));

        await using var open = await Provider(null).OpenAsync(Agent("anyone", ["hub:read", "hub:write"]), "a3", AllowWrites, TestContext.Current.CancellationToken);
        Assert.Contains("hub_post", open.Tools.Select(t => t.Name));
    }

    [Fact]
    public async Task The_workspace_lives_as_long_as_the_activation()
    {
        var agent = Agent("worker", ["hub:read"]) with
        {
            Capabilities = new CapabilitiesConfig
            {
                Grants = ["hub:read"],
                McpServers = [new McpServerReference { Name = "calc", Command = "dotnet", Args = [TestServerPaths.Assembly] }, new McpServerReference { Name = "hub" }],
            },
        };
        var tools = await Provider(null).OpenAsync(agent, "act/7", AllowWrites, TestContext.Current.CancellationToken);
        var workspace = tools.WorkspaceDirectory!;
        Assert.True(Directory.Exists(workspace));
        Assert.StartsWith(_root, workspace, StringComparison.Ordinal);
        Assert.Contains("calc__add", tools.Tools.Select(t => t.Name));
        Assert.Contains("hub_search", tools.Tools.Select(t => t.Name)); // in-process, not the hub MCP server
        Assert.DoesNotContain(tools.Tools, t => t.Name.StartsWith("hub__", StringComparison.Ordinal));
        await tools.DisposeAsync();
        Assert.False(Directory.Exists(workspace));
    }

    [Fact]
    public async Task A_cli_tool_gets_the_runners_hub_endpoint_with_its_own_token_and_its_granted_servers()
    {
        var agent = Agent("coder", ["hub:read", "github:read"]) with
        {
            Type = AgentType.ClaudeCode,
            Capabilities = new CapabilitiesConfig { Grants = ["hub:read", "github:read"], McpServers = [new McpServerReference { Name = "github" }, new McpServerReference { Name = "brave-search" }] },
        };
        var manager = new McpServerManager(
            new McpOptions { Environment = new Dictionary<string, string?> { ["HUB_URL"] = "http://127.0.0.1:9/", ["HUB_API_KEY"] = "hub-key", ["GITHUB_PAT"] = "ghp_scoped", ["BRAVE_API_KEY"] = "brave-not-granted" }, BotburrowCommand = ["botburrow"] },
            _logs.Factory());
        var tools = await new ActivationToolProvider(new HubClient(_http, new HubClientOptions { BaseUrl = new Uri("http://127.0.0.1:9/") }), manager, new PermissionsPolicySource(null), _gateway, _root)
            .OpenForCliToolAsync(agent, "a4", filterHiddenTools: true, AllowWrites, TestContext.Current.CancellationToken);

        Assert.Empty(tools.Tools);
        Assert.Equal(["hub", "github"], tools.Servers.Select(s => s.Name));
        var hub = tools.Servers[0];
        Assert.Equal(_gateway.Endpoint, hub.Url);
        Assert.Equal("127.0.0.1", hub.Url!.Host);
        Assert.Empty(hub.CommandLine);
        Assert.Empty(hub.Environment);
        Assert.Matches("^Bearer [A-Za-z0-9_-]{43}$", hub.Headers["Authorization"]);
        Assert.Equal(["hub_post"], hub.HiddenTools);
        Assert.DoesNotContain(tools.Servers, s => s.Headers.Values.Concat(s.Environment.Values).Any(v => v.Contains("hub-key", StringComparison.Ordinal)));
        Assert.Equal(1, _gateway.ActiveCapabilities);
        var github = tools.Servers[1];
        Assert.Equal("ghp_scoped", github.Environment["GITHUB_PERSONAL_ACCESS_TOKEN"]);
        Assert.Single(github.Environment);
        Assert.Contains("create_issue", github.HiddenTools);
        Assert.Equal("github:write", github.HiddenForLackOf);
        Assert.DoesNotContain(tools.Servers.SelectMany(s => s.Environment.Values), v => v.Contains("brave-not-granted", StringComparison.Ordinal));

        var workspace = tools.WorkspaceDirectory!;
        Assert.True(Directory.Exists(workspace));
        await tools.DisposeAsync();
        Assert.False(Directory.Exists(workspace));
        Assert.Equal(0, _gateway.ActiveCapabilities); // the token is revoked with the activation
    }

    [Fact]
    public async Task An_MCP_tool_call_after_the_lease_is_lost_is_answered_with_an_error_and_not_made()
    {
        var lease = new SwitchableLease("fence-1");
        var agent = Agent("native", []) with
        {
            Capabilities = new CapabilitiesConfig { McpServers = [new McpServerReference { Name = "mine", Command = "dotnet", Args = [TestServerPaths.Assembly] }] },
        };
        await using var tools = await Provider(null).OpenAsync(agent, "a-lease", ct => lease.CheckAsync(irreversible: true, ct), TestContext.Current.CancellationToken);
        var note = (Microsoft.Extensions.AI.AIFunction)tools.Tools.Single(t => t.Name == "mine__write_note");

        var made = await note.InvokeAsync(new() { ["text"] = "first" }, TestContext.Current.CancellationToken);
        lease.Lose("taken over by runner-2");
        var refused = await note.InvokeAsync(new() { ["text"] = "second" }, TestContext.Current.CancellationToken);

        Assert.Equal("noted: first", McpServerManagerTests.ResultText(made));
        Assert.Equal("Error: the call to mine__write_note was refused and not made: taken over by runner-2", refused);
        Assert.Single(_logs.Entries, e => e.Event == "mcp_tool_call"); // only the first reached the server
        Assert.Contains("taken over by runner-2", Assert.Single(_logs.Entries, e => e.Event == "mcp_tool_refused").Message, StringComparison.Ordinal);
        Assert.Equal(2, lease.Checks);
    }

    [Fact]
    public async Task A_malformed_policy_fails_the_activation_with_file_and_line()
    {
        var policy = Path.Combine(_root, "bad.yaml");
        File.WriteAllText(policy, "agents:\n  x:\n    allowed_grants: [nope]\n");
        var ex = await Assert.ThrowsAsync<PermissionsPolicyException>(() => Provider(policy).OpenAsync(Agent("x", ["hub:read"]), "a5", AllowWrites, TestContext.Current.CancellationToken));
        Assert.Contains("bad.yaml:3:22: agents.x.allowed_grants[0]: 'nope' is not a valid grant", ex.Message, StringComparison.Ordinal);
    }

    private ActivationToolProvider Provider(string? policy)
        => new(
            new HubClient(_http, new HubClientOptions { BaseUrl = new Uri("http://127.0.0.1:9/") }),
            new McpServerManager(new McpOptions(), _logs.Factory()),
            new PermissionsPolicySource(policy),
            _gateway,
            _root);

    private static AgentDefinition Agent(string name, string[] grants) => new()
    {
        Name = name,
        Type = AgentType.Native,
        Brain = new BrainConfig { Provider = LlmProvider.Anthropic, Model = "claude-sonnet-4" },
        Capabilities = new CapabilitiesConfig { Grants = grants },
    };
}
