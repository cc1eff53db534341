using System.Text.Json;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Grants;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Mcp.Hub;
using Botburrow.Agents.Testing;
using Microsoft.Extensions.AI;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace Botburrow.Agents.Mcp.Tests;

/// <summary>
/// <c>propose_agent</c> against the dev Hub: a proposal from an allowed template appears as a post in
/// m/agent-proposals marked for review, a disallowed template is refused with the allowed list, the post goes
/// through the activation's write gate, and CLI tools reach the same tool through the Hub endpoint.
/// </summary>
public sealed class ProposeAgentTests
{
    private const string AgentConfig = "name: alpha\ntype: native\nbrain:\n  provider: anthropic\n  model: claude-sonnet-4\ncapabilities:\n  grants: [hub:read, hub:write]\n";

    private static readonly SpawningConfig Spawning = new() { CanPropose = true, AllowedTemplates = ["code-specialist", "researcher"] };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAllowedTemplate_PostsAProposalForPeopleToReview()
    {
        await using var hub = await DevHubScope.StartAsync(("alpha", AgentConfig));
        var written = new List<string>();
        var propose = Function(hub.Client, Grants("hub:read", "hub:write"), Spawning, new HubWriteHooks { BeforeWrite = _ => ValueTask.FromResult<string?>(null), AfterWrite = written.Add });

        var result = await InvokeAsync(propose, "researcher", "paper-scout", "Nobody follows new papers on retrieval.");

        Assert.True(result.GetProperty("success").GetBoolean(), result.ToString());
        var post = await hub.Client.GetPostAsync(result.GetProperty("post_id").GetString()!, cancellationToken: Ct); // success carries the id
        Assert.Equal(HubTools.ProposalsCommunity, post.Community);
        Assert.Equal("alpha", post.Author.Name);
        Assert.Equal("Agent proposal: paper-scout (researcher)", post.Title);
        Assert.StartsWith(HubTools.ProposalMarker, post.Content, StringComparison.Ordinal);
        Assert.Contains("Nobody follows new papers on retrieval.", post.Content, StringComparison.Ordinal);
        Assert.Equal([post.Id], written);
    }

    [Fact]
    public async Task ADisallowedTemplate_IsRefusedWithTheAllowedOnes_AndNothingIsPosted()
    {
        await using var hub = await DevHubScope.StartAsync(("alpha", AgentConfig));
        var propose = Function(hub.Client, Grants("hub:read", "hub:write"), Spawning, HubWriteHooks.Unchecked);

        var result = await InvokeAsync(propose, "media-generator", "image-maker", "Pictures.");
        var badName = await InvokeAsync(propose, "researcher", "Bad Name", "Pictures.");

        var error = result.GetProperty("error").GetString();
        Assert.Contains("template 'media-generator' is not allowed", error, StringComparison.Ordinal);
        Assert.Contains("allowed templates: code-specialist, researcher", error, StringComparison.Ordinal);
        Assert.Contains("name 'Bad Name'", badName.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Empty(await hub.Client.SearchAsync(new HubSearchQuery { Query = "proposal", Community = HubTools.ProposalsCommunity }, Ct));
    }

    [Fact]
    public async Task TheWriteGate_CanRefuseAProposal()
    {
        await using var hub = await DevHubScope.StartAsync(("alpha", AgentConfig));
        var propose = Function(hub.Client, Grants("hub:read", "hub:write"), Spawning, new HubWriteHooks { BeforeWrite = _ => ValueTask.FromResult<string?>("the work item's lease was lost"), AfterWrite = _ => { } });

        var result = await InvokeAsync(propose, "researcher", "paper-scout", "Papers.");

        Assert.Equal("not proposed: the work item's lease was lost", result.GetProperty("error").GetString());
        Assert.Empty(await hub.Client.SearchAsync(new HubSearchQuery { Query = "proposal", Community = HubTools.ProposalsCommunity }, Ct));
    }

    [Fact]
    public void TheTool_IsOfferedOnlyWithCanProposeAndHubWrite()
    {
        var hub = new HubClient(new HttpClient(), new HubClientOptions { BaseUrl = new Uri("http://127.0.0.1:9/"), ApiKey = "unused" });

        Assert.DoesNotContain(Names(hub, Grants("hub:read", "hub:write"), new SpawningConfig()), n => n == HubTools.ProposeAgent);
        Assert.DoesNotContain(Names(hub, Grants("hub:read"), Spawning), n => n == HubTools.ProposeAgent);
        Assert.Contains(Names(hub, Grants("hub:read", "hub:write"), Spawning), n => n == HubTools.ProposeAgent);
    }

    [Fact]
    public async Task CliTools_ReachProposeAgent_ThroughTheHubEndpoint()
    {
        await using var hub = await DevHubScope.StartAsync(("alpha", AgentConfig));
        await using var gateway = new HubGateway(hub.Client, new LogCapture().Factory());
        using var capability = await gateway.IssueAsync("alpha", "act-propose", Grants("hub:read", "hub:write"), Spawning, _ => ValueTask.FromResult<string?>(null), Ct);

        await using var client = await McpClient.CreateAsync(
            new HttpClientTransport(new HttpClientTransportOptions
            {
                Endpoint = capability.Endpoint,
                TransportMode = HttpTransportMode.StreamableHttp,
                AdditionalHeaders = new Dictionary<string, string> { ["Authorization"] = capability.AuthorizationHeader },
            }),
            cancellationToken: Ct);
        var result = await client.CallToolAsync(HubTools.ProposeAgent, new Dictionary<string, object?> { ["template"] = "code-specialist", ["name"] = "rust-helper", ["reason"] = "Rust questions go unanswered." }, cancellationToken: Ct);
        var json = JsonDocument.Parse(Assert.IsType<TextContentBlock>(Assert.Single(result.Content)).Text).RootElement;

        Assert.True(json.GetProperty("success").GetBoolean(), json.ToString());
        Assert.Equal(1, capability.Writes.Count);
        var post = await hub.Client.GetPostAsync(json.GetProperty("post_id").GetString()!, cancellationToken: Ct); // success carries the id
        Assert.Equal(HubTools.ProposalsCommunity, post.Community);
    }

    private static AIFunction Function(IHubClient hub, EffectiveGrants grants, SpawningConfig spawning, HubWriteHooks hooks)
        => HubTools.CreateFunctions(hub, "alpha", grants, "act-1", hooks, spawning).Single(f => f.Name == HubTools.ProposeAgent);

    private static IEnumerable<string> Names(IHubClient hub, EffectiveGrants grants, SpawningConfig spawning)
        => HubTools.CreateFunctions(hub, "alpha", grants, "act-1", HubWriteHooks.Unchecked, spawning).Select(f => f.Name);

    private static async Task<JsonElement> InvokeAsync(AIFunction function, string template, string name, string reason)
    {
        var result = await function.InvokeAsync(new AIFunctionArguments { ["template"] = template, ["name"] = name, ["reason"] = reason }, Ct);
        return Assert.IsType<JsonElement>(result);
    }

    private static EffectiveGrants Grants(params string[] grants) => EffectiveGrants.Evaluate("alpha", grants, PermissionsPolicy.None);
}
