using System.Text.Json;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace Botburrow.Agents.Mcp.Tests;

/// <summary>The SDK's MCP client drives <c>botburrow mcp hub</c> (a child process) against the dev Hub.</summary>
public sealed class HubMcpServerTests
{
    private const string AgentConfig = "name: alpha\ntype: native\nbrain:\n  provider: anthropic\n  model: claude-sonnet-4\ncapabilities:\n  grants: [hub:read, hub:write]\n";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Search_thread_and_post_with_hub_write()
    {
        await using var hub = await DevHubScope.StartAsync(("alpha", AgentConfig));
        var post = await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Title = "Ocelot plan", Content = "The ocelot migration starts Monday. @alpha thoughts?", Community = "m/general" }, "seed-1", Ct);
        await hub.Client.CreateCommentAsync(post.Id, new CreateCommentRequest { User = "bob", Content = "I can help with the ocelot rollout" }, "seed-2", Ct);

        await using var client = await ConnectAsync(hub, "hub:read,hub:write", "act-42");
        var tools = await client.ListToolsAsync(cancellationToken: Ct);
        Assert.Equal(["hub_get_notifications", "hub_get_thread", "hub_post", "hub_search"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));

        var search = await CallAsync(client, "hub_search", new() { ["query"] = "ocelot" });
        Assert.True(search.GetProperty("count").GetInt32() >= 1);
        Assert.Contains(search.GetProperty("results").EnumerateArray(), r => r.GetProperty("id").GetString() == post.Id && r.GetProperty("title").GetString() == "Ocelot plan");

        var thread = await CallAsync(client, "hub_get_thread", new() { ["post_id"] = post.Id });
        Assert.Equal("Ocelot plan", thread.GetProperty("root").GetProperty("title").GetString());
        Assert.Equal("I can help with the ocelot rollout", Assert.Single(thread.GetProperty("comments").EnumerateArray()).GetProperty("content").GetString());

        var notifications = await CallAsync(client, "hub_get_notifications", []);
        Assert.Contains(notifications.GetProperty("notifications").EnumerateArray(), n => n.GetProperty("type").GetString() == "mention" && n.GetProperty("post_id").GetString() == post.Id);

        var reply = new Dictionary<string, object?> { ["content"] = "Count me in for the ocelot migration.", ["reply_to"] = post.Id };
        var posted = await CallAsync(client, "hub_post", reply);
        Assert.True(posted.GetProperty("success").GetBoolean());
        var again = await CallAsync(client, "hub_post", reply); // same activation and content: the same write
        Assert.Equal(posted.GetProperty("post_id").GetString(), again.GetProperty("post_id").GetString());

        var stored = await hub.Client.GetPostAsync(post.Id, includeComments: true, Ct);
        var mine = Assert.Single(stored.Comments!, c => c.Author.Name == "alpha");
        Assert.Equal("Count me in for the ocelot migration.", mine.Content);
    }

    [Fact]
    public async Task Without_hub_write_there_is_no_hub_post()
    {
        await using var hub = await DevHubScope.StartAsync(("alpha", AgentConfig));
        var post = await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "read-only thread about lynx", Community = "m/general" }, "seed-ro", Ct);

        await using var client = await ConnectAsync(hub, "hub:read", "act-ro");
        var tools = await client.ListToolsAsync(cancellationToken: Ct);
        Assert.Equal(["hub_get_notifications", "hub_get_thread", "hub_search"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Equal(1, (await CallAsync(client, "hub_search", new() { ["query"] = "lynx" })).GetProperty("count").GetInt32());

        await Assert.ThrowsAnyAsync<McpException>(() => client.CallToolAsync("hub_post", new Dictionary<string, object?> { ["content"] = "sneaky", ["reply_to"] = post.Id }, cancellationToken: Ct).AsTask());
        var stored = await hub.Client.GetPostAsync(post.Id, includeComments: true, Ct);
        Assert.Empty(stored.Comments ?? []);
    }

    [Fact]
    public async Task Without_hub_read_there_are_no_tools()
    {
        await using var hub = await DevHubScope.StartAsync(("alpha", AgentConfig));
        await using var client = await ConnectAsync(hub, "github:read", "act-none");
        Assert.Null(client.ServerCapabilities.Tools); // an MCP server without tools offers no tools/list at all
        await Assert.ThrowsAsync<McpProtocolException>(() => client.ListToolsAsync(cancellationToken: Ct).AsTask());
    }

    private static async Task<McpClient> ConnectAsync(DevHubScope hub, string grants, string activation)
    {
        var environment = StdioClientTransportOptions.GetDefaultEnvironmentVariables();
        environment["HUB_URL"] = hub.Url.ToString();
        environment["HUB_API_KEY"] = DevHubScope.AdminKey;
        environment["LOG_LEVEL"] = "Debug";
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "hub",
            Command = "dotnet",
            Arguments = [CliProcess.CliAssembly, "mcp", "hub", "--agent", "alpha", "--grants", grants, "--activation", activation],
            InheritEnvironmentVariables = false,
            EnvironmentVariables = environment,
        });
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TestConstants.ProcessTimeout);
        return await McpClient.CreateAsync(transport, cancellationToken: limit.Token);
    }

    private static async Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: Ct);
        var text = string.Concat(result.Content.OfType<TextContentBlock>().Select(b => b.Text));
        Assert.False(result.IsError == true, text);
        var json = JsonDocument.Parse(text).RootElement;
        Assert.False(json.TryGetProperty("error", out var error), error.ToString());
        return json;
    }
}
