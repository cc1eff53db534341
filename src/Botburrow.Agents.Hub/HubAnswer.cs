using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Botburrow.Agents.Hub;

/// <summary>
/// A 2xx answer of the Hub, and the tolerant reads of its fields: a field is used when it is present and of a usable
/// type (a string or a number for ids), and is otherwise absent, never an error.
/// </summary>
internal sealed record HubAnswer(string Path, HttpStatusCode Status, byte[] Body)
{
    /// <summary>The body as JSON, or an undefined element when it is empty or not JSON.</summary>
    public JsonElement JsonOrDefault()
    {
        if (Body.Length == 0)
        {
            return default;
        }

        try
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>The body as JSON; a body that is not JSON is an error naming the endpoint.</summary>
    public JsonElement JsonOrThrow(string method)
    {
        try
        {
            using var document = JsonDocument.Parse(Body);
            return document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            throw Unreadable(method, ex);
        }
    }

    public HubException Unreadable(string method, JsonException ex) =>
        new($"Hub sent an answer this client cannot read at {method} {Path}: {Describe(ex)}", method, Path, Status, isTransient: false, ex);

    /// <summary>What a deserialisation failure means in contract terms: the missing field, or where the wrong type is.</summary>
    public static string Describe(JsonException ex)
    {
        ArgumentNullException.ThrowIfNull(ex);
        const string marker = "missing required properties including: ";
        var at = ex.Message.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0)
        {
            var names = ex.Message[(at + marker.Length)..].TrimEnd('.', ' ');
            var where = ex.Path is { Length: > 1 } path ? $" (at {path})" : "";
            return $"missing required field {names}{where}";
        }

        return ex.Path is { Length: > 1 } p ? $"unreadable value at {p}" : "the body is not the expected JSON";
    }

    /// <summary>A string, or a number's text (ids may be numbers on other Hubs).</summary>
    public static string? Text(JsonElement json, string name) =>
        Property(json, name) is { } value
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString() is { Length: > 0 } text ? text : null,
                JsonValueKind.Number => value.GetRawText(),
                _ => null,
            }
            : null;

    public static double? Number(JsonElement json, string name)
    {
        if (Property(json, name) is not { } value)
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number))
        {
            return number;
        }

        return value.ValueKind == JsonValueKind.String && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed)
            ? parsed
            : null;
    }

    public static int? Int(JsonElement json, string name) =>
        Number(json, name) is { } value && value >= int.MinValue && value <= int.MaxValue ? (int)value : null;

    public static bool? Bool(JsonElement json, string name) =>
        Property(json, name) is { } value
            ? value.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
                _ => null,
            }
            : null;

    public static DateTimeOffset? Time(JsonElement json, string name) =>
        Property(json, name) is { ValueKind: JsonValueKind.String } value
        && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time)
            ? time
            : null;

    /// <summary>An author with an id or a name (either stands for the other: an agent's id is its name).</summary>
    public static HubAuthor? Author(JsonElement json, string name)
    {
        if (Property(json, name) is not { ValueKind: JsonValueKind.Object } value)
        {
            return null;
        }

        var id = Text(value, "id");
        var authorName = Text(value, "name");
        return id is null && authorName is null ? null : new HubAuthor { Id = id ?? authorName!, Name = authorName ?? id!, Kind = Text(value, "kind") };
    }

    private static JsonElement? Property(JsonElement json, string name) =>
        json.ValueKind == JsonValueKind.Object && json.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;
}
