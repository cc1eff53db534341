using System.Collections.Concurrent;
using System.Security.Cryptography;
using Botburrow.Agents.DevHub.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.DevHub;

/// <summary>
/// A running dev Hub: Kestrel on <see cref="DevHubOptions.Host"/>:<see cref="DevHubOptions.Port"/> (0 = a free port),
/// embeddable in any process. Start it with <see cref="StartAsync"/>, stop it with <see cref="StopAsync"/>.
/// </summary>
public sealed class DevHubServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, long> _requests;

    private DevHubServer(WebApplication app, ConcurrentDictionary<string, long> requests, Uri url, string adminKey, bool adminKeyGenerated)
    {
        _app = app;
        _requests = requests;
        Url = url;
        AdminKey = adminKey;
        AdminKeyGenerated = adminKeyGenerated;
    }

    /// <summary>The base URL, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Url { get; }

    /// <summary>The admin key (the one given, or a generated one).</summary>
    public string AdminKey { get; }

    /// <summary>Whether <see cref="AdminKey"/> was generated because none was given.</summary>
    public bool AdminKeyGenerated { get; }

    public IServiceProvider Services => _app.Services;

    /// <summary>
    /// Requests answered so far, by the request's <c>Host</c> header, method and route pattern (e.g.
    /// <c>127.0.0.1:5000 GET /api/v1/notifications</c>): the benchmarks read it to count Hub calls per endpoint and
    /// caller (each caller given its own host name for the Hub).
    /// </summary>
    public IReadOnlyDictionary<string, long> RequestCounts => new Dictionary<string, long>(_requests, StringComparer.Ordinal);

    public static async Task<DevHubServer> StartAsync(DevHubOptions options, Action<ILoggingBuilder>? configureLogging = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var generated = string.IsNullOrEmpty(options.AdminKey);
        var adminKey = generated ? "botburrow_admin_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : options.AdminKey!;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(DevHubServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        configureLogging?.Invoke(builder.Logging);
        builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");

        // SIGTERM/SIGINT stop the Hub (the host's console lifetime); what is in flight gets a second to finish, and
        // waiting long-polls answer at once (see the poll endpoint).
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = ShutdownTimeout);
        builder.Services.AddDevHub(o =>
        {
            o.DatabasePath = options.DatabasePath;
            o.AdminKey = adminKey;
            o.AgentsDirectory = options.AgentsDirectory;
            o.Host = options.Host;
            o.Port = options.Port;
            o.DefaultDailyLimitUsd = options.DefaultDailyLimitUsd;
            o.DefaultMonthlyLimitUsd = options.DefaultMonthlyLimitUsd;
            o.MaxPollTimeout = options.MaxPollTimeout;
            o.MaxRequestBodyBytes = options.MaxRequestBodyBytes;
            o.Idempotency = options.Idempotency;
            o.TimeProvider = options.TimeProvider;
        });
        var app = builder.Build();
        var requests = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        app.Use(async (context, next) =>
        {
            await next(context);
            var route = context.GetEndpoint() is RouteEndpoint endpoint ? "/" + endpoint.RoutePattern.RawText?.Trim('/') : "(unrouted)";
            requests.AddOrUpdate(context.Request.Host.Value + " " + context.Request.Method + " " + route, 1, static (_, n) => n + 1);
        });
        app.UseStatusCodePages(DevHubStatusCodes.WriteProblemAsync);
        app.MapDevHub();
        await app.Services.GetRequiredService<DevHubStore>().InitializeAsync();
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the dev Hub started without an address");
        var url = new Uri(address.EndsWith('/') ? address : address + "/");
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger<DevHubServer>();
        var urlText = url.ToString();
        var databasePath = Path.GetFullPath(options.DatabasePath);
        DevHubLog.Started(logger, urlText, databasePath);
        return new DevHubServer(app, requests, url, adminKey, generated);
    }

    /// <summary>How long stopping waits for requests in flight. <value>1 s.</value></summary>
    public static TimeSpan ShutdownTimeout { get; } = TimeSpan.FromSeconds(1);

    public Task StopAsync(CancellationToken cancellationToken = default) => _app.StopAsync(cancellationToken);

    /// <summary>
    /// Completes once the Hub was stopped: by SIGTERM or SIGINT (Ctrl+C), by <see cref="StopAsync"/>, or when
    /// <paramref name="cancellationToken"/> fires.
    /// </summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
