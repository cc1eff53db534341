using Microsoft.Extensions.Hosting;

namespace Botburrow.Agents.Testing;

/// <summary>
/// The application lifetime of a test that composes services without a host: it records a request to stop the
/// application (a role's loop that died asks for it) instead of stopping anything.
/// </summary>
public sealed class TestApplicationLifetime : IHostApplicationLifetime, IDisposable
{
    private readonly CancellationTokenSource _started = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _stopped = new();

    public CancellationToken ApplicationStarted => _started.Token;

    public CancellationToken ApplicationStopping => _stopping.Token;

    public CancellationToken ApplicationStopped => _stopped.Token;

    /// <summary>Whether something asked the application to stop.</summary>
    public bool StopRequested => _stopping.IsCancellationRequested;

    public void StopApplication() => _stopping.Cancel();

    public void Dispose()
    {
        _started.Dispose();
        _stopping.Dispose();
        _stopped.Dispose();
    }
}
