namespace Botburrow.Agents.Configuration;

/// <summary>Hides secrets before they are shown or logged.</summary>
public static class SecretMasker
{
    public const string Mask = "****";

    /// <summary>Masks the password (and a user used as a password) inside a URL such as <c>redis://:pw@host:6379</c>.</summary>
    public static string MaskUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        var authorityStart = schemeEnd < 0 ? 0 : schemeEnd + 3;
        var at = url.IndexOf('@', authorityStart);
        if (at < 0)
        {
            return url;
        }

        var slash = url.IndexOf('/', authorityStart);
        if (slash >= 0 && slash < at)
        {
            return url;
        }

        var userInfo = url[authorityStart..at];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var masked = colon < 0 ? Mask : userInfo[..(colon + 1)] + Mask;
        return string.Concat(url.AsSpan(0, authorityStart), masked, url.AsSpan(at));
    }

    /// <summary>Shows a secret as set or not, never its value.</summary>
    public static string MaskSecret(string? value) => string.IsNullOrEmpty(value) ? "(not set)" : Mask;
}
