using System.Globalization;
using Botburrow.Agents.Configuration;
using StackExchange.Redis;

namespace Botburrow.Agents.Redis;

/// <summary>Turns <c>redis://[user:password@]host[:port][/db]</c> (or rediss://, valkey://) into client options.</summary>
public static class RedisUrl
{
    public static ConfigurationOptions Parse(string url)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("redis" or "rediss" or "valkey" or "valkeys") || string.IsNullOrEmpty(uri.Host))
        {
            throw new ArgumentException($"REDIS_URL must look like redis://[:password@]host[:port][/db], got '{SecretMasker.MaskUrl(url)}'", nameof(url));
        }

        var options = new ConfigurationOptions
        {
            AbortOnConnectFail = false,
            ConnectRetry = 3,
            ConnectTimeout = 5000,
            AsyncTimeout = 5000,
            SyncTimeout = 5000,
            BacklogPolicy = BacklogPolicy.FailFast,
            ReconnectRetryPolicy = new ExponentialRetry(250, 5000),
            ClientName = "botburrow",

            // CLIENT LIST (fast failure detection) is an "admin" command to the client library; nothing else of that
            // kind is ever sent.
            AllowAdmin = true,
            Ssl = uri.Scheme is "rediss" or "valkeys",
        };
        options.EndPoints.Add(uri.Host, uri.IsDefaultPort || uri.Port <= 0 ? 6379 : uri.Port);
        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            var userInfo = Uri.UnescapeDataString(uri.UserInfo);
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                options.Password = userInfo;
            }
            else
            {
                var user = userInfo[..colon];
                options.User = user.Length > 0 ? user : null;
                options.Password = userInfo[(colon + 1)..];
            }
        }

        var path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out var database))
            {
                throw new ArgumentException($"REDIS_URL database must be a number, got '{path}' in '{SecretMasker.MaskUrl(url)}'", nameof(url));
            }

            options.DefaultDatabase = database;
        }

        return options;
    }
}
