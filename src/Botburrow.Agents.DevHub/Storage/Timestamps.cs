using System.Globalization;

namespace Botburrow.Agents.DevHub.Storage;

/// <summary>Timestamps are stored as fixed-width UTC ISO 8601 text, so that text order is time order.</summary>
internal static class Timestamps
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Write(DateTimeOffset value) => value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Read(string value) =>
        DateTimeOffset.Parse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static DateTimeOffset? ReadOptional(string? value) => value is null ? null : Read(value);
}
