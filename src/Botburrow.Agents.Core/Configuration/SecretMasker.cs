using System.Text;
using System.Text.RegularExpressions;

namespace Botburrow.Agents.Configuration;

/// <summary>
/// Hides secrets before they are shown or logged. The one place that decides what a secret inside a URL looks
/// like: the userinfo (<c>https://user:****@host</c>, <c>https://****@host</c> for a token used as the user name)
/// and the values of query parameters whose names look secret (<c>?key=****</c>, <c>access_token</c>,
/// <c>api_key</c>, <c>password</c>, <c>sig</c>…). <c>config show</c>, <c>doctor</c>, settings errors and every
/// log line go through it.
/// </summary>
public static partial class SecretMasker
{
    public const string Mask = "****";

    /// <summary>Query parameter names (compared case-insensitively) whose values are always masked.</summary>
    private static readonly HashSet<string> SecretParameterNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "key", "sig", "pwd", "pass", "code", "jwt", "session", "sessionid",
    };

    /// <summary>Parts of a query parameter name that make it secret (<c>access_token</c>, <c>client_secret</c>, <c>x-api-key</c>…).</summary>
    private static readonly string[] SecretParameterParts = ["token", "secret", "password", "passwd", "apikey", "api_key", "api-key", "signature", "credential", "auth"];

    /// <summary>
    /// Masks the secrets of one URL (<c>redis://:pw@host:6379</c>, <c>https://TOKEN@github.com/org/repo.git</c>,
    /// <c>https://api.example/v1?key=abc</c>). Text that is not a URL is returned unchanged.
    /// </summary>
    public static string MaskUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        var result = new StringBuilder(url.Length);
        var at = authorityEnd > authorityStart ? url.LastIndexOf('@', authorityEnd - 1, authorityEnd - authorityStart) : -1;
        if (at >= authorityStart && (schemeEnd >= 0 || IsBareUserInfo(url.AsSpan(0, at))))
        {
            var userInfo = url[authorityStart..at];
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var masked = colon >= 0 ? userInfo[..(colon + 1)] + Mask
                : userInfo == "git" ? userInfo
                : Mask;
            result.Append(url, 0, authorityStart).Append(masked).Append(url, at, authorityEnd - at);
        }
        else
        {
            result.Append(url, 0, authorityEnd);
        }

        if (schemeEnd < 0)
        {
            // Not a URL with a scheme: only its userinfo-like prefix was considered.
            return result.Append(url, authorityEnd, url.Length - authorityEnd).ToString();
        }

        AppendMaskedPathAndQuery(result, url.AsSpan(authorityEnd));
        return result.ToString();
    }

    /// <summary>
    /// Masks every URL inside free text: a log message, an error, a doctor finding, a setting's value. Text without
    /// <c>://</c> is returned as it is (and without allocating).
    /// </summary>
    public static string MaskUrls(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            return text;
        }

        return UrlInText().Replace(text, match => MaskUrl(match.Value));
    }

    /// <summary>Shows a secret as set or not, never its value.</summary>
    public static string MaskSecret(string? value) => string.IsNullOrEmpty(value) ? "(not set)" : Mask;

    /// <summary>True when a query parameter of this name carries a secret.</summary>
    public static bool IsSecretParameter(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (SecretParameterNames.Contains(name))
        {
            return true;
        }

        foreach (var part in SecretParameterParts)
        {
            if (name.Contains(part, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return name.EndsWith("key", StringComparison.OrdinalIgnoreCase) || name.EndsWith("_sig", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A user:password@ with no scheme, as in <c>user:pw@host</c> (never <c>git@github.com:org/repo</c>).</summary>
    private static bool IsBareUserInfo(ReadOnlySpan<char> userInfo) => userInfo.Contains(':') && !userInfo.ContainsAny(' ', '\t');

    private static void AppendMaskedPathAndQuery(StringBuilder result, ReadOnlySpan<char> rest)
    {
        var question = rest.IndexOf('?');
        if (question < 0)
        {
            result.Append(rest);
            return;
        }

        result.Append(rest[..(question + 1)]);
        var query = rest[(question + 1)..];
        var hash = query.IndexOf('#');
        ReadOnlySpan<char> fragment = hash < 0 ? [] : query[hash..];
        if (hash >= 0)
        {
            query = query[..hash];
        }

        var first = true;
        foreach (var range in query.SplitAny('&', ';'))
        {
            if (!first)
            {
                // Keep the separator that was there.
                result.Append(query[range.Start.GetOffset(query.Length) - 1]);
            }

            first = false;
            var pair = query[range];
            var equals = pair.IndexOf('=');
            if (equals > 0 && equals < pair.Length - 1 && IsSecretParameter(Uri.UnescapeDataString(pair[..equals].ToString())))
            {
                result.Append(pair[..(equals + 1)]).Append(Mask);
            }
            else
            {
                result.Append(pair);
            }
        }

        result.Append(fragment);
    }

    /// <summary>A URL with a scheme inside text, up to whitespace, a quote or an angle bracket, without trailing punctuation.</summary>
    [GeneratedRegex(@"\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s""'<>`]*[^\s""'<>`.,;:!?)\]}]", RegexOptions.CultureInvariant)]
    private static partial Regex UrlInText();
}
