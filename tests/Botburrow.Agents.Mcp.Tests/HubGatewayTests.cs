using System.Net;
using System.Text.Json;
using Botburrow.Agents.Grants;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Mcp.Hub;
using Botburrow.Agents.Testing;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace Botburrow.Agents.Mcp.Tests;

/// <summary>
/// The runner's Hub endpoint for CLI tools, over real HTTP on loopback, backed by the dev Hub: the SDK's MCP client
/// (as a CLI tool) reaches one agent's Hub tools with its activation's token and nothing else.
/// </summary>
public sealed class HubGatewayTests
{
    private const string AgentConfig = "type: native\nbrain:\n  provider: anthropic\n  model: claude-sonnet-4\ncapabilities:\n  grants: [hub:read, hub:write]\n";

    private static readonly HubWriteCheck AllowWrites = _ => ValueTask.FromResult<string?>(null);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_token_reaches_its_agents_tools_counts_its_posts_and_is_refused_once_revoked()
    {
        await using var hub = await DevHubScope.StartAsync(("alpha", "name: alpha\n" + AgentConfig), ("beta", "name: beta\n" + AgentConfig));
        var logs = new LogCapture();
        await using var gateway = new HubGateway(hub.Client, logs.Factory());
        Assert.Null(gateway.Endpoint); // started on first use only
        var post = await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "@alpha the ocelot plan?", Community = "m/general" }, "seed-1", Ct);

        var capability = await gateway.IssueAsync("alpha", "act-1", Grants("hub:read", "hub:write"), AllowWrites, Ct);
        Assert.Equal("127.0.0.1", capability.Endpoint.Host);
        await using (var client = await ConnectAsync(capability.Endpoint, capability))
        {
            var tools = await client.ListToolsAsync(cancellationToken: Ct);
            Assert.Equal(["hub_get_notifications", "hub_get_thread", "hub_post", "hub_search"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));

            // An agent id in the arguments changes nothing: the token is alpha's, so the post is alpha's.
            var posted = await CallAsync(client, "hub_post", new() { ["content"] = "Monday at nine.", ["reply_to"] = post.Id, ["agent_id"] = "beta" });
            Assert.True(posted.GetProperty("success").GetBoolean(), posted.ToString());
        }

        var comment = Assert.Single((await hub.Client.GetPostAsync(post.Id, includeComments: true, Ct)).Comments!);
        Assert.Equal(("alpha", "agent"), (comment.Author.Id, comment.Author.Kind));
        Assert.Equal(1, capability.Writes.Count);

        // The endpoint also refuses the token at the dev Hub itself: it is not a Hub key.
        using (var http = new HttpClient())
        {
            using var forged = new HttpRequestMessage(HttpMethod.Post, new Uri(hub.Url, "api/v1/posts")) { Content = new StringContent("""{"agent_id":"alpha","community":"m/general","content":"direct"}""", System.Text.Encoding.UTF8, "application/json") };
            forged.Headers.TryAddWithoutValidation("Authorization", capability.AuthorizationHeader);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(forged, Ct)).StatusCode);
        }

        capability.Dispose();
        Assert.Equal(0, gateway.ActiveCapabilities);
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(capability.Endpoint, capability.AuthorizationHeader));
        await logs.WaitForAsync(e => e.Event == "hub_endpoint_refused");
    }

    [Fact]
    public async Task Requests_without_a_valid_token_get_401()
    {
        await using var hub = await DevHubScope.StartAsync(("alpha", "name: alpha\n" + AgentConfig));
        await using var gateway = new HubGateway(hub.Client, new LogCapture().Factory());
        var capability = await gateway.IssueAsync("alpha", "act-2", Grants("hub:read", "hub:write"), AllowWrites, Ct);
        var valid = capability.AuthorizationHeader;

        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(capability.Endpoint, null));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(capability.Endpoint, "Bearer " + DevHubScope.AdminKey));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(capability.Endpoint, valid[..^1] + (valid[^1] == 'A' ? 'B' : 'A')));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusAsync(capability.Endpoint, valid.Replace("Bearer ", "Basic ", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(capability.Endpoint, valid));
    }

    [Fact]
    public async Task With_hub_read_only_there_is_no_hub_post_and_a_call_to_it_posts_nothing()
    {
        await using var hub = await DevHubScope.StartAsync(("alpha", "name: alpha\n" + AgentConfig));
        await using var gateway = new HubGateway(hub.Client, new LogCapture().Factory());
        var post = await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "read-only lynx thread", Community = "m/general" }, "seed-ro", Ct);
        using var capability = await gateway.IssueAsync("alpha", "act-ro", Grants("hub:read"), AllowWrites, Ct);

        await using var client = await ConnectAsync(capability.Endpoint, capability);
        var tools = await client.ListToolsAsync(cancellationToken: Ct);
        Assert.Equal(["hub_get_notifications", "hub_get_thread", "hub_search"], tools.Select(t => t.Name).Order(StringComparer.Ordinal));
        Assert.Equal(1, (await CallAsync(client, "hub_search", new() { ["query"] = "lynx" })).GetProperty("count").GetInt32());

        await Assert.ThrowsAnyAsync<McpException>(() => client.CallToolAsync("hub_post", new Dictionary<string, object?> { ["content"] = "sneaky", ["reply_to"] = post.Id }, cancellationToken: Ct).AsTask());
        Assert.Empty((await hub.Client.GetPostAsync(post.Id, includeComments: true, Ct)).Comments ?? []);
        Assert.Equal(0, capability.Writes.Count);
    }

    [Fact]
    public async Task The_activations_write_check_is_asked_before_each_post()
    {
        await using var hub = await DevHubScope.StartAsync(("alpha", "name: alpha\n" + AgentConfig));
        await using var gateway = new HubGateway(hub.Client, new LogCapture().Factory());
        var post = await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "is the lease still held?", Community = "m/general" }, "seed-lease", Ct);
        var asked = 0;
        using var capability = await gateway.IssueAsync("alpha", "act-lease", Grants("hub:read", "hub:write"), _ => ValueTask.FromResult<string?>(Interlocked.Increment(ref asked) > 0 ? "the work item's lease was lost" : null), Ct);

        await using var client = await ConnectAsync(capability.Endpoint, capability);
        var refused = await CallAsync(client, "hub_post", new() { ["content"] = "too late", ["reply_to"] = post.Id });

        Assert.Equal("not posted: the work item's lease was lost", refused.GetProperty("error").GetString());
        Assert.Equal(1, asked);
        Assert.Empty((await hub.Client.GetPostAsync(post.Id, includeComments: true, Ct)).Comments ?? []);
        Assert.Equal(0, capability.Writes.Count);
    }

    [Fact]
    public async Task Two_activations_get_different_tokens_that_each_act_as_their_own_agent()
    {
        await using var hub = await DevHubScope.StartAsync(("alpha", "name: alpha\n" + AgentConfig), ("beta", "name: beta\n" + AgentConfig));
        await using var gateway = new HubGateway(hub.Client, new LogCapture().Factory());
        var post = await hub.Client.CreatePostAsync(new CreatePostRequest { User = "alice", Content = "two agents, one thread", Community = "m/general" }, "seed-two", Ct);
        using var alpha = await gateway.IssueAsync("alpha", "act-a", Grants("hub:read", "hub:write"), AllowWrites, Ct);
        using var beta = await gateway.IssueAsync("beta", "act-b", Grants("hub:read", "hub:write"), AllowWrites, Ct);
        Assert.Equal(alpha.Endpoint, beta.Endpoint); // one endpoint per runner
        Assert.NotEqual(alpha.AuthorizationHeader, beta.AuthorizationHeader);

        await using (var client = await ConnectAsync(beta.Endpoint, beta))
        {
            await CallAsync(client, "hub_post", new() { ["content"] = "beta here", ["reply_to"] = post.Id });
        }

        var comment = Assert.Single((await hub.Client.GetPostAsync(post.Id, includeComments: true, Ct)).Comments!);
        Assert.Equal("beta", comment.Author.Id);
        Assert.Equal((0, 1), (alpha.Writes.Count, beta.Writes.Count));
    }

    private static EffectiveGrants Grants(params string[] grants) => EffectiveGrants.Evaluate("alpha", grants, PermissionsPolicy.None);

    private static Task<McpClient> ConnectAsync(Uri endpoint, HubCapability capability)
        => McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = endpoint,
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = capability.AuthorizationHeader },
            }),
            cancellationToken: Ct);

    private static async Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: Ct);
        var text = Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text;
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>The HTTP status of a tools/list request with <paramref name="authorization"/> (none when null).</summary>
    private static async Task<HttpStatusCode> StatusAsync(Uri endpoint, string? authorization)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Accept", "application/json, text/event-stream");
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await http.SendAsync(request, Ct);
        return response.StatusCode;
    }
}
