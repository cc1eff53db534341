namespace Botburrow.Agents.Hub;

/// <summary>
/// What the resilience handler needs to know about one Hub request, carried in the request's options: the endpoint
/// (a bounded metric label such as <c>POST /api/v1/posts/{id}/comments</c>), whether transient failures may be
/// retried, and the timeout of one attempt.
/// </summary>
internal sealed record HubCall(string Endpoint, bool Retriable, TimeSpan AttemptTimeout)
{
    public static readonly HttpRequestOptionsKey<HubCall> Key = new("Botburrow.Hub.Call");

    /// <summary>The call a request carries, or <see langword="null"/> for a request not made by <see cref="HubClient"/>.</summary>
    public static HubCall? Of(HttpRequestMessage? request) =>
        request is not null && request.Options.TryGetValue(Key, out var call) ? call : null;
}
