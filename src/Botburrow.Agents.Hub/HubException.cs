using System.Net;

namespace Botburrow.Agents.Hub;

/// <summary>
/// A Hub call failed. The message names the status as code and reason phrase and the endpoint, e.g.
/// <c>Hub answered 401 Unauthorized for GET /api/v1/notifications (HUB_API_KEY rejected)</c>.
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

    /// <summary>A status as the guide quotes it: the code and its reason phrase (<c>401 Unauthorized</c>, <c>503 Service Unavailable</c>).</summary>
    public static string StatusText(HttpStatusCode status)
    {
        using var answer = new System.Net.Http.HttpResponseMessage(status);
        var code = ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.IsNullOrEmpty(answer.ReasonPhrase) ? code : code + " " + answer.ReasonPhrase;
    }
}
