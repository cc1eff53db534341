namespace Botburrow.Agents.Work;

/// <summary>Where activation transcripts are kept for a while (<c>transcript:{activation_id}</c> in Redis).</summary>
public interface ITranscriptStore
{
    /// <summary>Stores (or replaces) the transcript; it expires after <paramref name="ttl"/>.</summary>
    Task SaveAsync(ActivationTranscript transcript, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>The transcript, or <see langword="null"/> when there is none (never stored, or expired).</summary>
    Task<ActivationTranscript?> GetAsync(string activationId, CancellationToken cancellationToken = default);
}
