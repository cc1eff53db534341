using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Botburrow.Agents.DevHub.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Botburrow.Agents.DevHub.Endpoints;

/// <summary>What every endpoint does the same way: keys, bodies, query values, problems and stored answers.</summary>
internal static class HubRequest
{
    public const string IdempotencyHeader = "Idempotency-Key";

    /// <summary>
    /// Runs a handler; a <see cref="HubProblemException"/> becomes a problem response that names the field.
    /// </summary>
    public static async Task<IResult> GuardAsync(HttpContext context, Func<Task<IResult>> handler)
    {
        try
        {
            return await handler();
        }
        catch (HubProblemException ex)
        {
            return Rejected(context, ex);
        }
        catch (BadHttpRequestException ex)
        {
            // The server refused the request itself (a body over the limit, a truncated body): still a problem naming it.
            var message = ex.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"the body is larger than {MaxBodyBytes(context)} bytes"
                : $"the body could not be read ({ex.Message})";
            return Rejected(context, new HubProblemException(ex.StatusCode, "body", message));
        }
    }

    private static IResult Rejected(HttpContext context, HubProblemException ex)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Botburrow.Agents.DevHub");
        var method = context.Request.Method;
        var path = context.Request.Path.Value ?? "";
        var reason = ex.Message;
        DevHubLog.RequestRejected(logger, method, path, ex.Status, ex.Field, reason);
        return Problem(ex);
    }

    private static long MaxBodyBytes(HttpContext context) => context.RequestServices.GetRequiredService<DevHubStore>().Options.MaxRequestBodyBytes;

    public static IResult Problem(HubProblemException ex)
    {
        var problem = new ProblemDetails
        {
            Status = ex.Status,
            Title = ex.Status switch
            {
                401 => "Unauthorized",
                403 => "Forbidden",
                404 => "Not found",
                405 => "Method not allowed",
                409 => "Conflict",
                413 => "Body too large",
                422 => "Unprocessable request",
                _ => "Invalid request",
            },
            Detail = $"{ex.Field}: {ex.Message}",
        };
        problem.Extensions["field"] = ex.Field;
        problem.Extensions["errors"] = new Dictionary<string, string[]> { [ex.Field] = [ex.Message] };
        return Results.Problem(problem);
    }

    /// <summary>The caller. A key the Hub did not issue is refused (401) even on reads; writes need a key.</summary>
    public static async Task<Caller> AuthenticateAsync(HttpContext context, DevHubStore store, bool write)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return write
                ? throw new HubProblemException(401, "Authorization", "a key is required for writes (Authorization: Bearer <key>)")
                : Caller.Anonymous;
        }

        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            throw new HubProblemException(401, "Authorization", "the Authorization header must be 'Bearer <key>'");
        }

        var caller = await store.ResolveKeyAsync(header[scheme.Length..].Trim(), context.RequestAborted);
        return caller ?? throw new HubProblemException(401, "Authorization", "the key is not valid for this Hub");
    }

    /// <summary>The request's <c>Idempotency-Key</c>, or <see langword="null"/>.</summary>
    public static string? IdempotencyKey(HttpContext context)
    {
        // Recorded, not enforced: the dev Hub shows which lease holder a write came from.
        if (context.Request.Headers["X-Botburrow-Fencing-Token"].ToString() is { Length: > 0 } fencingToken)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Botburrow.Agents.DevHub");
            if (logger.IsEnabled(LogLevel.Debug))
            {
                var path = context.Request.Path.ToString();
                DevHubLog.FencedWrite(logger, context.Request.Method, path, fencingToken);
            }
        }

        var key = context.Request.Headers[IdempotencyHeader].ToString();
        if (string.IsNullOrEmpty(key) || !context.RequestServices.GetRequiredService<IOptions<DevHubOptions>>().Value.Idempotency)
        {
            return null;
        }

        return key.Length > 200 ? throw new HubProblemException(400, IdempotencyHeader, "Idempotency-Key is longer than 200 characters") : key;
    }

    /// <summary>
    /// Reads a JSON object body: malformed JSON names <c>body</c>, a missing or empty required property names it,
    /// a value of the wrong type names its property.
    /// </summary>
    public static async Task<T> ReadBodyAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo, params string[] required)
    {
        // Bodies are small (content is at most 64 KiB): a larger one is refused with 413 before it is read.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes(context);
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            throw new HubProblemException(400, "body", $"the body is not valid JSON ({ex.Message})");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new HubProblemException(400, "body", "the body must be a JSON object");
            }

            foreach (var name in required)
            {
                if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
                {
                    throw new HubProblemException(400, name, $"{name} is required");
                }
            }

            try
            {
                return root.Deserialize(typeInfo) ?? throw new HubProblemException(400, "body", "the body must be a JSON object");
            }
            catch (JsonException ex)
            {
                var field = ex.Path is { Length: > 2 } path ? path.TrimStart('$', '.').Split('[', '.')[0] : "body";
                throw new HubProblemException(400, field, $"{field} has the wrong type ({ex.Message.Split(". Path:")[0]})");
            }
        }
    }

    public static int QueryInt(HttpContext context, string name, int defaultValue, int min, int max)
    {
        var text = context.Request.Query[name].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return defaultValue;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            throw new HubProblemException(400, name, $"{name} must be a number from {min} to {max}");
        }

        return (int)Math.Ceiling(value);
    }

    public static bool QueryBool(HttpContext context, string name, bool defaultValue)
    {
        var text = context.Request.Query[name].ToString();
        if (string.IsNullOrEmpty(text))
        {
            return defaultValue;
        }

        return text.ToLowerInvariant() switch
        {
            "true" or "1" or "yes" => true,
            "false" or "0" or "no" => false,
            _ => throw new HubProblemException(400, name, $"{name} must be true or false"),
        };
    }

    public static string? QueryText(HttpContext context, string name)
    {
        var text = context.Request.Query[name].ToString();
        return string.IsNullOrWhiteSpace(text) ? null : text.Trim();
    }

    public static IReadOnlyList<string> QueryList(HttpContext context, string name) =>
        [.. context.Request.Query[name].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal)];

    public static long ParseId(string id, string field = "id") =>
        long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new HubProblemException(404, field, $"post '{id}' does not exist");

    /// <summary>A stored write answer, marked when it is a replay of an earlier request with the same key.</summary>
    public static IResult Stored(HttpContext context, WriteOutcome outcome)
    {
        if (outcome.Replayed)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return Results.Text(outcome.Body, "application/json", Encoding.UTF8, outcome.Status);
    }

    public static WriteOutcome Answer<T>(int status, T value, JsonTypeInfo<T> typeInfo) => new(status, JsonSerializer.Serialize(value, typeInfo));
}
