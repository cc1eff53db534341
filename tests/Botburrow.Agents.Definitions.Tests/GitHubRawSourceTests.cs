using System.Net;
using System.Text;
using Botburrow.Agents.Definitions.Sources;
using Botburrow.Agents.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Botburrow.Agents.Definitions.Tests;

/// <summary>The GitHub raw source against a real HTTP server on 127.0.0.1.</summary>
public sealed class GitHubRawSourceTests : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);
    private readonly List<string> _requests = [];
    private readonly Task _serving;
    private readonly CancellationTokenSource _stop = new();

    public GitHubRawSourceTests()
    {
        var port = FreePort.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(BaseAddress.AbsoluteUri);
        _listener.Start();
        _serving = ServeAsync();
    }

    private Uri BaseAddress { get; }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        _listener.Close();
        try
        {
            await _serving;
        }
        catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or OperationCanceledException)
        {
        }

        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var context = await _listener.GetContextAsync();
            var path = context.Request.Url!.AbsolutePath;
            lock (_requests)
            {
                _requests.Add(path);
            }

            if (_files.TryGetValue(path, out var content))
            {
                var bytes = Encoding.UTF8.GetBytes(content);
                context.Response.StatusCode = 200;
                await context.Response.OutputStream.WriteAsync(bytes);
            }
            else
            {
                context.Response.StatusCode = path.Contains("/broken/", StringComparison.Ordinal) ? 500 : 404;
            }

            context.Response.Close();
        }
    }

    private GitHubRawAgentDefinitionSource Source(HttpClient http) => new(http, "acme/agent-definitions", "main", NullLogger<GitHubRawAgentDefinitionSource>.Instance);

    [Fact]
    public async Task ExistingAgent_LoadsWithItsSystemPrompt()
    {
        _files["/acme/agent-definitions/main/agents/web-agent/config.yaml"] = "name: web-agent\ntype: native\nbrain:\n  model: gpt-4o-mini\n  provider: openai\ncapabilities:\n  grants: [hub:read]\n";
        _files["/acme/agent-definitions/main/agents/web-agent/system-prompt.md"] = "Served over HTTP.";
        using var http = new HttpClient { BaseAddress = BaseAddress };

        var agent = await Source(http).GetAsync("web-agent", TestContext.Current.CancellationToken);

        Assert.Equal("web-agent", agent.Name);
        Assert.Equal("Served over HTTP.", agent.SystemPrompt);
        Assert.Equal($"{BaseAddress}acme/agent-definitions/main/agents/web-agent/config.yaml", agent.Source);
    }

    [Fact]
    public async Task AbsentAgent_GivesTheGuidesMessageWithTheUrl()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };

        var ex = await Assert.ThrowsAsync<AgentConfigNotFoundException>(() => Source(http).GetAsync("my-agent", TestContext.Current.CancellationToken));

        Assert.Equal($"Agent config not found: {BaseAddress}acme/agent-definitions/main/agents/my-agent/config.yaml", ex.Message);
    }

    [Fact]
    public async Task InvalidRemoteDefinition_ReportsProblemsWithTheUrl()
    {
        _files["/acme/agent-definitions/main/agents/bad-agent/config.yaml"] = "name: bad-agent\ntype: native\nbrain:\n  model: m\n  temperature: 5\ncapabilities: {}\n";
        using var http = new HttpClient { BaseAddress = BaseAddress };

        var ex = await Assert.ThrowsAsync<AgentDefinitionException>(() => Source(http).GetAsync("bad-agent", TestContext.Current.CancellationToken));

        Assert.Equal($"{BaseAddress}acme/agent-definitions/main/agents/bad-agent/config.yaml:5:16: brain.temperature: 5 is out of range (0 to 2)", Assert.Single(ex.Problems).Format());
    }

    [Fact]
    public async Task ServerError_IsASourceError()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var source = new GitHubRawAgentDefinitionSource(http, "acme/broken", "main", NullLogger<GitHubRawAgentDefinitionSource>.Instance);

        var ex = await Assert.ThrowsAsync<AgentDefinitionSourceException>(() => source.GetAsync("any-agent", TestContext.Current.CancellationToken));

        Assert.Equal($"GET {BaseAddress}acme/broken/main/agents/any-agent/config.yaml returned 500 Internal Server Error", ex.Message);
    }

    [Fact]
    public async Task Listing_IsNotSupported()
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        var source = Source(http);

        Assert.False(source.SupportsListing);
        var ex = await Assert.ThrowsAsync<AgentDefinitionSourceException>(() => source.ListAsync(TestContext.Current.CancellationToken));
        Assert.Contains("not possible with GitHub raw files", ex.Message, StringComparison.Ordinal);
    }
}
