using System.Globalization;
using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Timeout;

namespace Botburrow.Agents.Hub;

/// <summary>
/// The Hub client's resilience pipeline, the one definition shared by <c>AddHubClient</c> (as the typed client's
/// resilience handler) and <see cref="HubClient.Create"/>: retries of transient failures (408, 429, 5xx, attempt
/// timeouts, connection failures) with jittered exponential backoff or the Hub's <c>Retry-After</c>, then a timeout
/// per attempt (the request's own, e.g. the long-poll's, or <see cref="HubClientOptions.RequestTimeout"/>).
/// </summary>
internal static class HubResilience
{
    public const string PipelineName = "hub";

    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, HubClientOptions options, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(logger);
        var maxAttempts = Math.Max(1, options.MaxAttempts);
        if (maxAttempts > 1)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "hub-retry",
                MaxRetryAttempts = maxAttempts - 1,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,

                // Retry-After is read below, so that a Hub cannot hold a caller longer than MaxRetryAfter.
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult(
                    HubCall.Of(args.Context.GetRequestMessage()) is not { Retriable: false }
                    && HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Result, options.MaxRetryAfter, TimeProviderOf(builder))),
                OnRetry = args =>
                {
                    var endpoint = HubCall.Of(args.Context.GetRequestMessage())?.Endpoint ?? "other";
                    var reason = Reason(args.Outcome);
                    HubMetrics.Retries.WithLabels(endpoint, reason).Inc();
                    HubClientLog.RequestRetry(logger, endpoint, reason, args.AttemptNumber + 2, maxAttempts, (long)args.RetryDelay.TotalMilliseconds);
                    return ValueTask.CompletedTask;
                },
            });
        }

        builder.AddTimeout(new HttpTimeoutStrategyOptions
        {
            Name = "hub-attempt-timeout",
            TimeoutGenerator = args => ValueTask.FromResult(HubCall.Of(args.Context.GetRequestMessage())?.AttemptTimeout ?? options.RequestTimeout),
        });
    }

    /// <summary>The reason label of a retry: the status code, <c>timeout</c> or <c>connection</c>.</summary>
    public static string Reason(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Result: { } response } => ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
        { Exception: TimeoutRejectedException } => "timeout",
        { Exception: HttpRequestException } => "connection",
        _ => "error",
    };

    /// <summary>The delay a 429 or 503 asks for with <c>Retry-After</c> (seconds or a date), capped; otherwise none (backoff).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeSpan cap, TimeProvider timeProvider)
    {
        if (response?.Headers.RetryAfter is not { } retryAfter)
        {
            return null;
        }

        TimeSpan? wanted = retryAfter.Delta
            ?? (retryAfter.Date is { } date ? date - timeProvider.GetUtcNow() : null);
        if (wanted is not { } delay)
        {
            return null;
        }

        return delay <= TimeSpan.Zero ? TimeSpan.Zero : delay > cap ? cap : delay;
    }

    private static TimeProvider TimeProviderOf(ResiliencePipelineBuilderBase builder) => builder.TimeProvider ?? TimeProvider.System;

    /// <summary>Whether a status code is one the pipeline retries (for messages: "after the retries").</summary>
    public static bool IsTransient(HttpStatusCode status) => (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;
}
