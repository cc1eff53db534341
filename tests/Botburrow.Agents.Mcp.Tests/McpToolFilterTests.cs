using Botburrow.Agents.Testing;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using Xunit;

namespace Botburrow.Agents.Mcp.Tests;

/// <summary>The SDK's MCP client drives <c>botburrow mcp filter</c> in front of the test MCP server (both real child processes).</summary>
public sealed class McpToolFilterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Hidden_tools_are_neither_listed_nor_callable_and_the_rest_pass_through_with_the_environment()
    {
        var environment = StdioClientTransportOptions.GetDefaultEnvironmentVariables();
        environment["SCOPED_TOKEN"] = "token-for-the-upstream";
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "filtered",
            Command = "dotnet",
            Arguments = [CliProcess.CliAssembly, "mcp", "filter", "--hide", "write_note,get_nothing", "--grant", "notes:write", "--", "dotnet", TestServerPaths.Assembly],
            InheritEnvironmentVariables = false,
            EnvironmentVariables = environment,
        });
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        limit.CancelAfter(TestConstants.ProcessTimeout);
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: limit.Token);

        var tools = (await client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).ToList();
        Assert.Contains("add", tools);
        Assert.Contains("get_env", tools);
        Assert.DoesNotContain("write_note", tools);

        var sum = await client.CallToolAsync("add", new Dictionary<string, object?> { ["a"] = 2, ["b"] = 3 }, cancellationToken: Ct);
        Assert.NotEqual(true, sum.IsError);
        Assert.Equal("5", Assert.IsType<TextContentBlock>(Assert.Single(sum.Content)).Text);

        var env = await client.CallToolAsync("get_env", new Dictionary<string, object?> { ["names"] = "SCOPED_TOKEN" }, cancellationToken: Ct);
        Assert.Contains("token-for-the-upstream", Assert.IsType<TextContentBlock>(Assert.Single(env.Content)).Text, StringComparison.Ordinal);

        var refused = await client.CallToolAsync("write_note", new Dictionary<string, object?> { ["text"] = "x" }, cancellationToken: Ct);
        Assert.True(refused.IsError);
        Assert.Equal("Tool 'write_note' is not available: it needs notes:write.", Assert.IsType<TextContentBlock>(Assert.Single(refused.Content)).Text);
    }
}
