using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Testing;

/// <summary>
/// A model API on 127.0.0.1 that speaks the real wire format of the Anthropic Messages API or the OpenAI Chat
/// Completions API, as JSON or as server-sent events (whichever the request's <c>stream</c> asks for). It answers
/// request N with <c>script(N)</c> and keeps every request body and its arrival time.
/// </summary>
public sealed class FakeModelServer : IAsyncDisposable
{
    public const string AnthropicModel = "claude-sonnet-4-5-20250929";
    public const string OpenAIModel = "gpt-4o-mini-2024-07-18";

    private readonly WebApplication _app;
    private readonly Func<int, JsonElement, FakeTurn> _script;
    private readonly Lock _lock = new();
    private readonly List<RecordedRequest> _requests = [];

    private FakeModelServer(WebApplication app, FakeProvider provider, Func<int, JsonElement, FakeTurn> script)
    {
        _app = app;
        Provider = provider;
        _script = script;
    }

    public FakeProvider Provider { get; }

    /// <summary>The key <c>GET /v1/models</c> accepts (<c>x-api-key</c> for Anthropic, a bearer key for OpenAI); any other is answered 401. Null: every key.</summary>
    public string? AcceptedKey { get; set; }

    /// <summary>How many times <c>GET /v1/models</c> was asked (the cheap authenticated call that checks a key).</summary>
    public int ModelListings => Volatile.Read(ref _modelListings);

    private int _modelListings;

    /// <summary>The server's address without a path, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    public static Task<FakeModelServer> StartAsync(FakeProvider provider, Func<int, FakeTurn> script)
    {
        ArgumentNullException.ThrowIfNull(script);
        return StartAsync(provider, (index, _) => script(index));
    }

    /// <summary>Starts a server that answers request N, whose body is given, with <c>script(N, body)</c>.</summary>
    public static async Task<FakeModelServer> StartAsync(FakeProvider provider, Func<int, JsonElement, FakeTurn> script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeModelServer(app, provider, script);
        app.MapPost(provider == FakeProvider.Anthropic ? "/v1/messages" : "/v1/chat/completions", server.HandleAsync);
        app.MapGet("/v1/models", server.ListModelsAsync);
        if (provider == FakeProvider.OpenAI)
        {
            app.MapPost("/v1/embeddings", server.EmbeddingsAsync);
        }
        await app.StartAsync();
        server.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First(); // Kestrel always has an address once started
        return server;
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>How many <c>/v1/embeddings</c> requests were answered (they are not in <see cref="Requests"/>).</summary>
    public int EmbeddingRequests => Volatile.Read(ref _embeddingRequests);

    /// <summary>
    /// The fake embedding of <paramref name="text"/>: a 64-dimensional bag of its lower-case words (letters and
    /// digits), each word adding 1 at a slot picked by a stable hash, so texts sharing words are close by cosine.
    /// </summary>
    public static float[] Embed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var vector = new float[EmbeddingDimensions];
        foreach (var word in System.Text.RegularExpressions.Regex.Split(text.ToLowerInvariant(), @"[^\p{L}\p{Nd}]+").Where(w => w.Length > 2))
        {
            var hash = 2166136261u;
            foreach (var c in word)
            {
                hash = (hash ^ c) * 16777619u;
            }

            vector[hash % EmbeddingDimensions] += 1;
        }

        return vector;
    }

    private const int EmbeddingDimensions = 64;

    private int _embeddingRequests;

    /// <summary><c>POST /v1/embeddings</c> in OpenAI's wire format (one string or an array of them).</summary>
    private async Task EmbeddingsAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        Interlocked.Increment(ref _embeddingRequests);
        var input = body.RootElement.GetProperty("input");
        var texts = input.ValueKind == JsonValueKind.Array ? input.EnumerateArray().Select(e => e.GetString() ?? "").ToList() : [input.GetString() ?? ""];
        var base64 = body.RootElement.TryGetProperty("encoding_format", out var format) && format.GetString() == "base64";
        var data = new JsonArray();
        for (var i = 0; i < texts.Count; i++)
        {
            var values = Embed(texts[i]);
            JsonNode vector;
            if (base64)
            {
                vector = Convert.ToBase64String(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()));
            }
            else
            {
                var array = new JsonArray();
                foreach (var value in values)
                {
                    array.Add(value);
                }

                vector = array;
            }

            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = vector });
        }

        await JsonAsync(context, new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = body.RootElement.TryGetProperty("model", out var model) ? model.GetString() : "fake-embedding",
            ["usage"] = new JsonObject { ["prompt_tokens"] = texts.Sum(t => t.Length / 4), ["total_tokens"] = texts.Sum(t => t.Length / 4) },
        });
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body);
        int index;
        lock (_lock)
        {
            index = _requests.Count;
            _requests.Add(new RecordedRequest(body.RootElement.Clone(), context.Request.Headers.Authorization.ToString(), TimeProvider.System.GetUtcNow()));
        }

        var turn = _script(index, body.RootElement);
        foreach (var (name, value) in turn.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (turn.Status != 200)
        {
            context.Response.StatusCode = turn.Status;
            context.Response.ContentType = "application/json";
            var error = Provider == FakeProvider.Anthropic
                ? new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = turn.Status == 401 ? "authentication_error" : "rate_limit_error", ["message"] = "fake error " + turn.Status } }
                : new JsonObject { ["error"] = new JsonObject { ["message"] = "fake error " + turn.Status, ["type"] = "invalid_request_error", ["code"] = turn.Status == 401 ? "invalid_api_key" : "rate_limit_exceeded" } };
            await context.Response.WriteAsync(error.ToJsonString());
            return;
        }

        var stream = body.RootElement.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        if (Provider == FakeProvider.Anthropic)
        {
            await (stream ? AnthropicStreamAsync(context, turn, index) : JsonAsync(context, AnthropicMessage(turn, index)));
        }
        else
        {
            await (stream ? OpenAIStreamAsync(context, turn, index) : JsonAsync(context, OpenAICompletion(turn, index)));
        }
    }

    private Task ListModelsAsync(HttpContext context)
    {
        Interlocked.Increment(ref _modelListings);
        var key = Provider == FakeProvider.Anthropic
            ? context.Request.Headers["x-api-key"].ToString()
            : context.Request.Headers.Authorization.ToString().Replace("Bearer ", "", StringComparison.Ordinal);
        if (AcceptedKey is not null && key != AcceptedKey)
        {
            context.Response.StatusCode = 401;
            return JsonAsync(context, Provider == FakeProvider.Anthropic
                ? new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = "authentication_error", ["message"] = "invalid x-api-key" } }
                : new JsonObject { ["error"] = new JsonObject { ["message"] = "Incorrect API key provided", ["type"] = "invalid_request_error", ["code"] = "invalid_api_key" } });
        }

        var model = Provider == FakeProvider.Anthropic ? AnthropicModel : OpenAIModel;
        return JsonAsync(context, new JsonObject { ["data"] = new JsonArray(new JsonObject { ["id"] = model }) });
    }

    private static Task JsonAsync(HttpContext context, JsonObject body)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }

    private static JsonObject AnthropicMessage(FakeTurn turn, int index)
    {
        var content = new JsonArray();
        if (turn.Text is not null)
        {
            content.Add(new JsonObject { ["type"] = "text", ["text"] = turn.Text });
        }

        foreach (var (id, name, arguments) in turn.ToolCalls)
        {
            content.Add(new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = JsonNode.Parse(arguments) });
        }

        return new JsonObject
        {
            ["id"] = "msg_" + index,
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = turn.Model ?? AnthropicModel,
            ["content"] = content,
            ["stop_reason"] = turn.ToolCalls.Count > 0 ? "tool_use" : "end_turn",
            ["stop_sequence"] = null,
            ["usage"] = new JsonObject { ["input_tokens"] = turn.InputTokens, ["output_tokens"] = turn.OutputTokens },
        };
    }

    private static async Task AnthropicStreamAsync(HttpContext context, FakeTurn turn, int index)
    {
        context.Response.ContentType = "text/event-stream";
        var events = new List<(string Name, JsonObject Data)>
        {
            ("message_start", new JsonObject
            {
                ["type"] = "message_start",
                ["message"] = new JsonObject
                {
                    ["id"] = "msg_" + index,
                    ["type"] = "message",
                    ["role"] = "assistant",
                    ["model"] = turn.Model ?? AnthropicModel,
                    ["content"] = new JsonArray(),
                    ["stop_reason"] = null,
                    ["stop_sequence"] = null,
                    ["usage"] = new JsonObject { ["input_tokens"] = turn.InputTokens, ["output_tokens"] = 1 },
                },
            }),
        };
        var block = 0;
        if (turn.Text is not null)
        {
            events.Add(("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = block, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" } }));
            var half = turn.Text.Length / 2;
            foreach (var piece in new[] { turn.Text[..half], turn.Text[half..] })
            {
                events.Add(("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = block, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = piece } }));
            }

            events.Add(("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = block }));
            block++;
        }

        foreach (var (id, name, arguments) in turn.ToolCalls)
        {
            events.Add(("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = block, ["content_block"] = new JsonObject { ["type"] = "tool_use", ["id"] = id, ["name"] = name, ["input"] = new JsonObject() } }));
            var half = arguments.Length / 2;
            foreach (var piece in new[] { arguments[..half], arguments[half..] })
            {
                events.Add(("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = block, ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = piece } }));
            }

            events.Add(("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = block }));
            block++;
        }

        events.Add(("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = turn.ToolCalls.Count > 0 ? "tool_use" : "end_turn", ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = turn.OutputTokens },
        }));
        events.Add(("message_stop", new JsonObject { ["type"] = "message_stop" }));
        foreach (var (name, data) in events)
        {
            await context.Response.WriteAsync($"event: {name}\ndata: {data.ToJsonString()}\n\n");
            await context.Response.Body.FlushAsync();
        }
    }

    private static JsonObject OpenAICompletion(FakeTurn turn, int index)
    {
        var message = new JsonObject { ["role"] = "assistant", ["content"] = turn.Text };
        if (turn.ToolCalls.Count > 0)
        {
            message["tool_calls"] = new JsonArray(turn.ToolCalls.Select(c => (JsonNode)new JsonObject
            {
                ["id"] = c.Id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = c.Name, ["arguments"] = c.Arguments },
            }).ToArray());
        }

        return new JsonObject
        {
            ["id"] = "chatcmpl-" + index,
            ["object"] = "chat.completion",
            ["created"] = 1_700_000_000,
            ["model"] = turn.Model ?? OpenAIModel,
            ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = turn.ToolCalls.Count > 0 ? "tool_calls" : "stop" }),
            ["usage"] = new JsonObject { ["prompt_tokens"] = turn.InputTokens, ["completion_tokens"] = turn.OutputTokens, ["total_tokens"] = turn.InputTokens + turn.OutputTokens },
        };
    }

    private static async Task OpenAIStreamAsync(HttpContext context, FakeTurn turn, int index)
    {
        context.Response.ContentType = "text/event-stream";
        JsonObject Chunk(JsonObject? delta, string? finish, JsonObject? usage = null)
        {
            var chunk = new JsonObject
            {
                ["id"] = "chatcmpl-" + index,
                ["object"] = "chat.completion.chunk",
                ["created"] = 1_700_000_000,
                ["model"] = turn.Model ?? OpenAIModel,
                ["choices"] = delta is null ? new JsonArray() : new JsonArray(new JsonObject { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish }),
            };
            if (usage is not null)
            {
                chunk["usage"] = usage;
            }

            return chunk;
        }

        var chunks = new List<JsonObject> { Chunk(new JsonObject { ["role"] = "assistant", ["content"] = "" }, null) };
        if (turn.Text is not null)
        {
            var half = turn.Text.Length / 2;
            chunks.Add(Chunk(new JsonObject { ["content"] = turn.Text[..half] }, null));
            chunks.Add(Chunk(new JsonObject { ["content"] = turn.Text[half..] }, null));
        }

        for (var i = 0; i < turn.ToolCalls.Count; i++)
        {
            var (id, name, arguments) = turn.ToolCalls[i];
            var half = arguments.Length / 2;
            chunks.Add(Chunk(new JsonObject { ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = i, ["id"] = id, ["type"] = "function", ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments[..half] } }) }, null));
            chunks.Add(Chunk(new JsonObject { ["tool_calls"] = new JsonArray(new JsonObject { ["index"] = i, ["function"] = new JsonObject { ["arguments"] = arguments[half..] } }) }, null));
        }

        chunks.Add(Chunk(new JsonObject(), turn.ToolCalls.Count > 0 ? "tool_calls" : "stop"));
        chunks.Add(Chunk(null, null, new JsonObject { ["prompt_tokens"] = turn.InputTokens, ["completion_tokens"] = turn.OutputTokens, ["total_tokens"] = turn.InputTokens + turn.OutputTokens }));
        var text = new StringBuilder();
        foreach (var chunk in chunks)
        {
            await context.Response.WriteAsync("data: " + chunk.ToJsonString() + "\n\n");
            await context.Response.Body.FlushAsync();
        }

        await context.Response.WriteAsync("data: [DONE]\n\n");
    }
}
