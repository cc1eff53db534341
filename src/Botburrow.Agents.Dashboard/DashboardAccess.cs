using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Botburrow.Agents.Dashboard;

/// <summary>
/// Who may read the dashboard (the page, its JSON and transcripts, which hold full prompts and thread text): a
/// request with <c>Authorization: Bearer DASHBOARD_TOKEN</c> (or <c>ADMIN_TOKEN</c>), or a browser holding the
/// cookie that <c>/dashboard?token=…</c> sets. The cookie carries a value derived from the token, never the token
/// itself, so it cannot be replayed as a bearer token for the admin actions.
/// </summary>
internal sealed class DashboardAccess
{
    private const string CookiePrefix = "botburrow_dashboard_";
    private const string CookieLabel = "botburrow-dashboard-cookie-v1";

    private readonly byte[][] _tokens;
    private readonly byte[][] _cookieValues;

    public DashboardAccess(string? dashboardToken, string? adminToken)
    {
        var tokens = new[] { dashboardToken, adminToken }.Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).Distinct(StringComparer.Ordinal).ToList();
        _tokens = [.. tokens.Select(Encoding.UTF8.GetBytes)];
        _cookieValues = [.. tokens.Select(t => Encoding.ASCII.GetBytes(CookieValue(t)))];
    }

    /// <summary>False when neither <c>DASHBOARD_TOKEN</c> nor <c>ADMIN_TOKEN</c> is set: then nobody reads the dashboard.</summary>
    public bool IsConfigured => _tokens.Length > 0;

    /// <summary>The cookie name, one per port, so that two services on one host keep their own sessions.</summary>
    public static string CookieName(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return CookiePrefix + context.Connection.LocalPort.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>True when the request carries a configured token as a bearer header, or the dashboard cookie.</summary>
    public bool Allows(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Matches(_tokens, Encoding.UTF8.GetBytes(header[7..].Trim())))
        {
            return true;
        }

        return context.Request.Cookies.TryGetValue(CookieName(context), out var cookie)
            && !string.IsNullOrEmpty(cookie)
            && Matches(_cookieValues, Encoding.ASCII.GetBytes(cookie));
    }

    /// <summary>True when <paramref name="token"/> (from <c>?token=</c>) is a configured token.</summary>
    public bool IsToken(string? token) => !string.IsNullOrEmpty(token) && Matches(_tokens, Encoding.UTF8.GetBytes(token));

    /// <summary>Gives the browser the session cookie for <paramref name="token"/> (already checked with <see cref="IsToken"/>).</summary>
    public static void SetCookie(HttpContext context, string token)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Cookies.Append(CookieName(context), CookieValue(token), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = context.Request.IsHttps,
            Path = "/",
            IsEssential = true,
        });
    }

    /// <summary>The refusal: 401 with how to send the token, or 403 when no token is configured at all.</summary>
    public IResult Refusal(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!IsConfigured)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "DASHBOARD_TOKEN is not configured",
                detail: "Set DASHBOARD_TOKEN (read-only) or ADMIN_TOKEN to read the dashboard and transcripts.");
        }

        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"botburrow-dashboard\"";
        return Results.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "DASHBOARD_TOKEN required",
            detail: "Open /dashboard?token=<DASHBOARD_TOKEN> in a browser, or send Authorization: Bearer <DASHBOARD_TOKEN> (ADMIN_TOKEN works too).");
    }

    private static string CookieValue(string token)
        => Base64Url(HMACSHA256.HashData(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(CookieLabel)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool Matches(byte[][] accepted, byte[] given)
    {
        var match = false;
        foreach (var candidate in accepted)
        {
            // Every candidate is compared, in constant time each, so the time taken says nothing about which matched.
            match |= CryptographicOperations.FixedTimeEquals(candidate, given);
        }

        return match;
    }
}
