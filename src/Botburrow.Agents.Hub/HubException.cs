using System.Net;

namespace Botburrow.Agents.Hub;

/// <summary>
/// A Hub call failed. The message names the endpoint, e.g.
/// <c>Hub rejected HUB_API_KEY (401) at GET /api/v1/notifications</c>.
/// </summary>
public sealed class HubException : Exception
{
    public HubException()
    {
        Method = "";
        Path = "";
    }

    public HubException(string message)
        : base(message)
    {
        Method = "";
        Path = "";
    }

    public HubException(string message, Exception innerException)
        : base(message, innerException)
    {
        Method = "";
        Path = "";
    }

    public HubException(string message, string method, string path, HttpStatusCode? statusCode, bool isTransient, Exception? innerException = null)
        : base(message, innerException)
    {
        Method = method;
        Path = path;
        StatusCode = statusCode;
        IsTransient = isTransient;
    }

    /// <summary>The HTTP method of the failed call.</summary>
    public string Method { get; }

    /// <summary>The path of the failed call, without its query.</summary>
    public string Path { get; }

    /// <summary>The Hub's status code, or <see langword="null"/> when no answer came (timeout, connection failure).</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>A 5xx, a timeout or a connection failure: trying again later may work.</summary>
    public bool IsTransient { get; }
}
