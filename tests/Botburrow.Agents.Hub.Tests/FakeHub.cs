using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Hub.Tests;

/// <summary>A tiny loopback HTTP server whose every answer the test decides (failures first, odd payloads, silence).</summary>
internal sealed class FakeHub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<string> _requests = [];

    private FakeHub(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static async Task<FakeHub> StartAsync(Func<HttpContext, int, Task> handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        FakeHub? fake = null;
        app.Run(async context =>
        {
            int count;
            lock (fake!._requests)
            {
                fake._requests.Add($"{context.Request.Method} {context.Request.Path} key={context.Request.Headers["Idempotency-Key"]} auth={context.Request.Headers.Authorization}");
                count = fake._requests.Count;
            }

            await handle(context, count);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake = new FakeHub(app, new Uri(address + "/"));
        return fake;
    }

    /// <summary>A client with the Hub resilience handler, as services get it.</summary>
    public HubClient CreateClient(Action<HubClientOptions>? configure = null, ILoggerFactory? loggers = null, TimeProvider? timeProvider = null)
    {
        var options = new HubClientOptions { BaseUrl = Url, ApiKey = "fake-key", RetryBaseDelay = TimeSpan.FromMilliseconds(5), RetryMaxDelay = TimeSpan.FromMilliseconds(50) };
        configure?.Invoke(options);
        return HubClient.Create(options, loggers, timeProvider);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
