using Botburrow.Agents.Configuration;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Botburrow.Agents.Redis;

/// <summary>
/// The one shared multiplexer of a process, plus the retry rule every Redis call goes through: a connection
/// failure or timeout is logged (<c>redis_unavailable</c>, URL with its password masked) and retried with
/// exponential backoff (100 ms doubling to 5 s) until <see cref="RetryFor"/> passes, then surfaces as a
/// <see cref="WorkQueueUnavailableException"/> that names the URL. Connecting never throws when the server is
/// down (<c>AbortOnConnectFail=false</c>): the client keeps reconnecting in the background, so a process started
/// during an outage waits instead of crash-looping.
/// </summary>
public sealed class RedisConnection : IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    private RedisConnection(ConnectionMultiplexer multiplexer, string displayUrl, TimeSpan retryFor, ILogger logger, TimeProvider time)
    {
        Multiplexer = multiplexer;
        DisplayUrl = displayUrl;
        RetryFor = retryFor;
        _logger = logger;
        _time = time;
        multiplexer.ConnectionRestored += (_, _) => WorkLog.RedisConnected(_logger, DisplayUrl);
        multiplexer.ConnectionFailed += (_, e) =>
        {
            if (e.ConnectionType == ConnectionType.Interactive)
            {
                RedisLog.ConnectionLost(_logger, DisplayUrl, e.FailureType.ToString(), Cause(e.Exception), e.Exception);
            }
        };
    }

    /// <summary>
    /// The name this process's connections carry (<c>CLIENT SETNAME</c>, sent on every reconnect), e.g.
    /// <c>botburrow:runner:runner-1</c>: the leader's reaper and the standby coordinators look for it in
    /// <c>CLIENT LIST</c> to tell a dead holder from a live one.
    /// </summary>
    public string ClientName => Multiplexer.ClientName;

    /// <summary>The connection name of a process: <c>botburrow:&lt;role&gt;:&lt;id&gt;</c>, spaces replaced.</summary>
    public static string NameFor(string role, string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(role);
        ArgumentException.ThrowIfNullOrEmpty(id);
        return "botburrow:" + role + ":" + string.Concat(id.Select(c => char.IsWhiteSpace(c) || char.IsControl(c) ? '_' : c));
    }

    /// <summary>The cause in the words the troubleshooting guide uses ("Connection refused") where the OS gives one.</summary>
    internal static string Cause(Exception? exception)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Net.Sockets.SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    System.Net.Sockets.SocketError.ConnectionRefused => "Connection refused",
                    System.Net.Sockets.SocketError.ConnectionReset => "Connection reset by peer",
                    System.Net.Sockets.SocketError.TimedOut => "Connection timed out",
                    System.Net.Sockets.SocketError.HostUnreachable or System.Net.Sockets.SocketError.NetworkUnreachable => "No route to host",
                    System.Net.Sockets.SocketError.HostNotFound => "Name or service not known",
                    _ => socket.Message,
                };
            }

            if (inner.Message.Contains("Connection refused", StringComparison.OrdinalIgnoreCase))
            {
                return "Connection refused";
            }
        }

        return exception is null ? "unknown" : Short(exception.Message);
    }

    public IConnectionMultiplexer Multiplexer { get; }

    /// <summary>The URL with its password masked; the only form that is ever shown or logged.</summary>
    public string DisplayUrl { get; }

    /// <summary>How long one operation keeps retrying while Redis is unreachable.</summary>
    public TimeSpan RetryFor { get; }

    public IDatabase Database => Multiplexer.GetDatabase();

    /// <summary>Connects (or starts reconnecting in the background when the server is down).</summary>
    public static async Task<RedisConnection> ConnectAsync(string url, TimeSpan? retryFor = null, ILogger? logger = null, TimeProvider? timeProvider = null, string? clientName = null)
    {
        var options = RedisUrl.Parse(url);
        if (clientName is not null)
        {
            options.ClientName = clientName;
        }

        var display = SecretMasker.MaskUrl(url);
        logger ??= NullLogger.Instance;
        var multiplexer = await ConnectionMultiplexer.ConnectAsync(options);
        if (multiplexer.IsConnected)
        {
            WorkLog.RedisConnected(logger, display);
        }
        else
        {
            WorkLog.RedisUnavailable(logger, display, "connect", 1, (long)FirstDelay.TotalMilliseconds, "connection refused or timed out; reconnecting in the background");
        }

        return new RedisConnection(multiplexer, display, retryFor ?? TimeSpan.FromSeconds(30), logger, timeProvider ?? TimeProvider.System);
    }

    /// <summary>Runs <paramref name="action"/>, retrying connection failures as described on the class.</summary>
    public async Task<T> ExecuteAsync<T>(string operation, Func<IDatabase, Task<T>> action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        var started = _time.GetTimestamp();
        var delay = FirstDelay;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var task = action(Database);
                return await (cancellationToken.CanBeCanceled ? task.WaitAsync(cancellationToken) : task);
            }
            catch (Exception ex) when (ex is RedisConnectionException or RedisTimeoutException
                || (ex is RedisServerException server && server.Message.StartsWith("LOADING", StringComparison.Ordinal)))
            {
                if (_time.GetElapsedTime(started) + delay > RetryFor)
                {
                    throw new WorkQueueUnavailableException($"Redis at {DisplayUrl} is unavailable ({operation}): {Cause(ex)}: {Short(ex.Message)}", ex);
                }

                WorkLog.RedisUnavailable(_logger, DisplayUrl, operation, attempt, (long)delay.TotalMilliseconds, Short(ex.Message) + " (" + Cause(ex) + ")");
                await Task.Delay(delay, _time, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxDelay.Ticks));
            }
        }
    }

    /// <summary>The client's message without its thread-pool diagnostics tail.</summary>
    private static string Short(string message)
    {
        var cut = message.IndexOf(", mc: ", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }

    public async ValueTask DisposeAsync() => await Multiplexer.DisposeAsync();

    public void Dispose() => Multiplexer.Dispose();
}
