namespace Botburrow.Agents.Work;

/// <summary>
/// The embedded <see cref="ITranscriptStore"/>: in memory, and also as <c>{id}.json</c> files in a folder when one
/// is given (<c>botburrow up</c> uses <c>.botburrow/transcripts</c>, which <c>activations show</c> reads without Redis).
/// Expired transcripts are dropped when read and when the next one is saved.
/// </summary>
public sealed class EmbeddedTranscriptStore : ITranscriptStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (ActivationTranscript Transcript, DateTimeOffset Expires)> _memory = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    public EmbeddedTranscriptStore(string? directory = null, TimeProvider? timeProvider = null)
    {
        Directory = directory;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The folder of transcript files, or <see langword="null"/> for memory only.</summary>
    public string? Directory { get; }

    public async Task SaveAsync(ActivationTranscript transcript, TimeSpan ttl, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            foreach (var expired in _memory.Where(e => e.Value.Expires <= now).Select(e => e.Key).ToList())
            {
                _memory.Remove(expired);
            }

            _memory[transcript.ActivationId] = (transcript, now + ttl);
        }

        if (Directory is null)
        {
            return;
        }

        System.IO.Directory.CreateDirectory(Directory);
        foreach (var file in System.IO.Directory.EnumerateFiles(Directory, "*.json"))
        {
            if (File.GetLastWriteTimeUtc(file) + ttl <= now.UtcDateTime)
            {
                File.Delete(file);
            }
        }

        var path = PathFor(transcript.ActivationId);
        await File.WriteAllTextAsync(path, transcript.ToJson(), cancellationToken);
        File.SetLastWriteTimeUtc(path, now.UtcDateTime);
        await File.WriteAllTextAsync(path + ".expires", (now + ttl).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
    }

    public async Task<ActivationTranscript?> GetAsync(string activationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(activationId);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            if (_memory.TryGetValue(activationId, out var entry))
            {
                if (entry.Expires > now)
                {
                    return entry.Transcript;
                }

                _memory.Remove(activationId);
            }
        }

        if (Directory is null || activationId.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || activationId.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        var path = PathFor(activationId);
        if (!File.Exists(path))
        {
            return null;
        }

        if (File.Exists(path + ".expires")
            && long.TryParse(await File.ReadAllTextAsync(path + ".expires", cancellationToken), System.Globalization.CultureInfo.InvariantCulture, out var expires)
            && DateTimeOffset.FromUnixTimeSeconds(expires) <= now)
        {
            return null;
        }

        return ActivationTranscript.FromJson(await File.ReadAllTextAsync(path, cancellationToken));
    }

    private string PathFor(string activationId) => Path.Combine(Directory!, activationId + ".json"); // callers check Directory
}
