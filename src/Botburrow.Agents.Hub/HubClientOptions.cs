namespace Botburrow.Agents.Hub;

/// <summary>How the Hub client reaches the Hub.</summary>
public sealed class HubClientOptions
{
    /// <summary>The Hub base URL (<c>HUB_URL</c>), e.g. <c>http://hub:8000</c>.</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>The bearer key (<c>HUB_API_KEY</c>); no <c>Authorization</c> header when empty.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Timeout of one attempt of an ordinary request. <value>Default 30 s.</value></summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How much longer than the long-poll's own timeout the client waits for the Hub's answer.
    /// <value>Default 10 s.</value>
    /// </summary>
    public TimeSpan PollGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts of an idempotent request that keeps failing transiently. <value>Default 3.</value></summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>First retry delay; doubled per attempt, with jitter. <value>Default 200 ms.</value></summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of one backoff delay. <value>Default 5 s.</value></summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Upper bound of a delay asked for with <c>Retry-After</c> (on 429 or 503); a longer one is cut to this.
    /// <value>Default 30 s.</value>
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);
}
