using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Botburrow.Agents.Grants;
using Botburrow.Agents.Hub;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Server;

namespace Botburrow.Agents.Mcp.Hub;

/// <summary>
/// The runner's Hub endpoint for CLI tools: the <see cref="HubTools"/> served over MCP streamable HTTP on
/// 127.0.0.1 (an ephemeral port), so that no Hub key ever leaves the runner. Each CLI activation gets a
/// <see cref="HubCapability"/>, a random 256-bit bearer token that reaches only that agent's Hub tools under its
/// grants, for as long as the activation runs. Every request is authenticated (the server is stateless: a token
/// revoked mid-session stops working at its next request), tokens are compared by their SHA-256 in constant time,
/// and a missing, unknown or revoked token gets 401. The endpoint starts on the first capability issued and stops
/// when the gateway is disposed (with the runner's services).
/// </summary>
public sealed partial class HubGateway : IAsyncDisposable
{
    /// <summary>The path the MCP endpoint is served at.</summary>
    public const string Path = "/mcp";

    private const string CapabilityItem = "botburrow.hub_capability";
    private const int TokenBytes = 32;

    private readonly IHubClient _hub;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, HubCapability> _capabilities = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private WebApplication? _app;
    private Uri? _endpoint;
    private int _disposed;

    public HubGateway(IHubClient hub, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        _hub = hub;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("Botburrow.Agents.Mcp.HubGateway");
    }

    /// <summary>The endpoint's URL once it has started, else <see langword="null"/>.</summary>
    public Uri? Endpoint => Volatile.Read(ref _endpoint);

    /// <summary>How many tokens are valid now (one per running CLI activation holding <c>hub:read</c>).</summary>
    public int ActiveCapabilities => _capabilities.Count;

    /// <summary>
    /// A token for <paramref name="agent"/> in activation <paramref name="activationId"/> under
    /// <paramref name="grants"/> (starting the endpoint on first use). <paramref name="beforeWrite"/> is asked before
    /// each post made with it; disposing the capability revokes the token.
    /// </summary>
    public Task<HubCapability> IssueAsync(string agent, string activationId, EffectiveGrants grants, HubWriteCheck beforeWrite, CancellationToken cancellationToken = default)
        => IssueAsync(agent, activationId, grants, new Definitions.Model.SpawningConfig(), beforeWrite, cancellationToken);

    /// <summary>As above, with <c>propose_agent</c> among the tools when <paramref name="spawning"/> allows proposals.</summary>
    public async Task<HubCapability> IssueAsync(string agent, string activationId, EffectiveGrants grants, Definitions.Model.SpawningConfig spawning, HubWriteCheck beforeWrite, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(agent);
        ArgumentException.ThrowIfNullOrEmpty(activationId);
        ArgumentNullException.ThrowIfNull(grants);
        ArgumentNullException.ThrowIfNull(beforeWrite);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var endpoint = await EnsureStartedAsync(cancellationToken);

        var token = Base64Url(RandomNumberGenerator.GetBytes(TokenBytes));
        var hash = Hash(token);
        var capability = new HubCapability(this, agent, activationId, grants, token, hash, endpoint);
        var hooks = new HubWriteHooks
        {
            BeforeWrite = async ct => capability.IsRevoked ? $"activation {activationId} has ended" : await beforeWrite(ct),
            AfterWrite = capability.Writes.Record,
        };
        foreach (var function in HubTools.CreateFunctions(_hub, agent, grants, activationId, hooks, spawning))
        {
            capability.Tools.Add(McpServerTool.Create(function));
        }

        _capabilities[Convert.ToHexString(hash)] = capability;
        var tools = string.Join(", ", capability.Tools.PrimitiveNames);
        LogIssued(_logger, agent, activationId, tools);
        return capability;
    }

    internal void Revoke(HubCapability capability)
    {
        if (_capabilities.TryRemove(new KeyValuePair<string, HubCapability>(Convert.ToHexString(capability.TokenHash), capability)))
        {
            LogRevoked(_logger, capability.Agent, capability.ActivationId, capability.Writes.Count);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var capability in _capabilities.Values)
        {
            capability.Dispose();
        }

        await _startLock.WaitAsync();
        try
        {
            if (_app is { } app)
            {
                await app.StopAsync();
                await app.DisposeAsync();
                _app = null;
            }
        }
        finally
        {
            _startLock.Release();
            _startLock.Dispose();
        }
    }

    private async Task<Uri> EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (Endpoint is { } started)
        {
            return started;
        }

        await _startLock.WaitAsync(cancellationToken);
        try
        {
            if (_endpoint is { } raced)
            {
                return raced;
            }

            var app = Build();
            await app.StartAsync(cancellationToken);
            // Kestrel fills the addresses feature when it binds; the one listener is 127.0.0.1 on the port it chose.
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var endpoint = new Uri(new Uri(address), Path);
            _app = app;
            Volatile.Write(ref _endpoint, endpoint);
            var shown = endpoint.ToString();
            LogStarted(_logger, shown);
            return endpoint;
        }
        finally
        {
            _startLock.Release();
        }
    }

    private WebApplication Build()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRouting();

        // The endpoint lives and dies with the gateway, never with a signal: the runner's own host decides when the
        // process stops, and its drain may still need the endpoint for the CLI tools that are finishing.
        builder.Services.AddSingleton<IHostLifetime, GatewayLifetime>();
        builder.Services.AddLogging(logging =>
        {
            logging.AddProvider(new ForwardingLoggerProvider(_loggerFactory));
            logging.AddFilter("Microsoft", LogLevel.Warning);
            logging.AddFilter("ModelContextProtocol", LogLevel.Warning);
        });
        builder.Services.AddMcpServer(o => o.ServerInfo = new() { Name = HubMcpServer.ServerName, Version = HubMcpServer.Version() })
            .WithHttpTransport(o =>
            {
                // Stateless: every request is authenticated on its own and gets a server holding only its token's tools.
                o.Stateless = true;
                o.ConfigureSessionOptions = (context, options, _) =>
                {
                    var capability = (HubCapability)context.Items[CapabilityItem]!; // set by the authentication step below for every request that gets here
                    options.ToolCollection = capability.Tools;
                    return Task.CompletedTask;
                };
            });
        var app = builder.Build();
        app.Use(AuthenticateAsync);
        app.MapMcp(Path);
        return app;
    }

    /// <summary>Lets a request through only with a valid token; its capability goes into the request's items.</summary>
    private Task AuthenticateAsync(HttpContext context, RequestDelegate next)
    {
        if (Find(context.Request.Headers.Authorization.ToString()) is { } capability)
        {
            context.Items[CapabilityItem] = capability;
            return next(context);
        }

        LogRefused(_logger, context.Request.Method, context.Request.Path.ToString());
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }

    private HubCapability? Find(string authorization)
    {
        const string scheme = "Bearer ";
        if (!authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var presented = Hash(authorization[scheme.Length..].Trim());

        // Looked up by the token's SHA-256 (which says nothing about the token), then compared in constant time.
        return _capabilities.TryGetValue(Convert.ToHexString(presented), out var capability)
            && CryptographicOperations.FixedTimeEquals(presented, capability.TokenHash)
            && !capability.IsRevoked
            ? capability
            : null;
    }

    /// <summary>A lifetime that neither waits for nor reacts to Ctrl+C or SIGTERM.</summary>
    private sealed class GatewayLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>The endpoint's own log lines go to the runner's loggers.</summary>
    private sealed class ForwardingLoggerProvider(ILoggerFactory target) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => target.CreateLogger(categoryName);

        public void Dispose()
        {
            // The runner owns the factory.
        }
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    [LoggerMessage(EventName = "hub_endpoint_started", Level = LogLevel.Information, Message = "Hub endpoint for CLI tools listening on {Url}")]
    private static partial void LogStarted(ILogger logger, string url);

    [LoggerMessage(EventName = "hub_token_issued", Level = LogLevel.Debug, Message = "Hub endpoint token issued to agent {AgentId} for activation {ActivationId}; tools: {Tools}")]
    private static partial void LogIssued(ILogger logger, string agentId, string activationId, string tools);

    [LoggerMessage(EventName = "hub_token_revoked", Level = LogLevel.Debug, Message = "Hub endpoint token of agent {AgentId} revoked at the end of activation {ActivationId} ({Posts} post(s) made with it)")]
    private static partial void LogRevoked(ILogger logger, string agentId, string activationId, int posts);

    [LoggerMessage(EventName = "hub_endpoint_refused", Level = LogLevel.Warning, Message = "Hub endpoint refused {Method} {Path}: no valid token (401)")]
    private static partial void LogRefused(ILogger logger, string method, string path);
}
