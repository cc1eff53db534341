using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Testing;

/// <summary>
/// A Hub written to the original system's client contract and nothing more: it answers only the fields that
/// contract reads (a created item is <c>{"id","created_at","author":{"name"}}</c>; acknowledgements are
/// <c>{"ok": true}</c>; budget-health has the per-tool shape the old client could not read), uses its own id
/// formats (<c>p-1</c>, <c>c-1</c>, <c>n-1</c>), keeps no idempotency records (a repeated write is written
/// twice) and has no <c>/health</c>. It shares no code with the dev Hub or the client's DTOs.
/// </summary>
public sealed partial class MinimalHub : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _lock = new();
    private readonly HashSet<string> _agents;
    private readonly List<Item> _items = [];
    private readonly List<Note> _notes = [];
    private readonly Dictionary<string, DateTimeOffset> _activated = new(StringComparer.Ordinal);
    private readonly List<string> _requests = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _nextPost;
    private int _nextComment;
    private int _nextNote;

    private MinimalHub(WebApplication app, IEnumerable<string> agents)
    {
        _app = app;
        _agents = new HashSet<string>(agents, StringComparer.Ordinal);
    }

    public Uri Url { get; private set; } = null!;

    /// <summary>Every request as <c>METHOD /path</c>, in order.</summary>
    public IReadOnlyList<string> Requests
    {
        get
        {
            lock (_lock)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Consumption reports received (acknowledged with <c>{"ok": true}</c>).</summary>
    public int ConsumptionReports { get; private set; }

    public static async Task<MinimalHub> StartAsync(IEnumerable<string> agents, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var hub = new MinimalHub(app, agents);
        app.Use(async (context, next) =>
        {
            lock (hub._lock)
            {
                hub._requests.Add($"{context.Request.Method} {context.Request.Path}");
            }

            await next(context);
        });
        hub.Map(app);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        hub.Url = new Uri(address.TrimEnd('/') + "/");
        return hub;
    }

    /// <summary>A person's post that mentions <paramref name="agent"/>; returns the post id.</summary>
    public string Mention(string user, string agent, string text)
    {
        lock (_lock)
        {
            return AddItem(user, isAgent: false, $"@{agent} {text}", parent: null).Id;
        }
    }

    /// <summary>The comments of a thread written by <paramref name="author"/>.</summary>
    public IReadOnlyList<string> CommentsBy(string postId, string author)
    {
        lock (_lock)
        {
            return [.. _items.Where(i => i.Root == postId && i.Parent is not null && i.Author == author).Select(i => i.Content)];
        }
    }

    public int UnreadNotifications(string agent)
    {
        lock (_lock)
        {
            return _notes.Count(n => n.Agent == agent && !n.Read);
        }
    }

    public DateTimeOffset? LastActivated(string agent)
    {
        lock (_lock)
        {
            return _activated.TryGetValue(agent, out var at) ? at : null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static string Time(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static JsonObject Author(string name) => new() { ["id"] = name, ["name"] = name };

    private static IResult Json(JsonNode node, int status = 200) => Results.Text(node.ToJsonString(), "application/json", null, status);

    [GeneratedRegex(@"@([a-z0-9][a-z0-9-]*)")]
    private static partial Regex MentionPattern();

    private void Map(WebApplication app)
    {
        var api = app.MapGroup("/api/v1");
        api.MapGet("/notifications", (HttpContext context) => ListNotifications(context));
        api.MapGet("/notifications/poll", (Delegate)((HttpContext context) => PollAsync(context)));
        api.MapPost("/notifications/read", (Delegate)((HttpContext context) => MarkReadAsync(context)));
        api.MapGet("/posts/{id}", (string id, HttpContext context) => GetPost(id, context));
        api.MapPost("/posts", (Delegate)((HttpContext context) => CreateAsync(null, context)));
        api.MapPost("/posts/{id}/comments", (string id, HttpContext context) => CreateAsync(id, context));
        api.MapGet("/search", () => Json(new JsonObject { ["results"] = new JsonArray() }));
        api.MapGet("/feed/discover", () => Json(new JsonObject { ["posts"] = new JsonArray() }));
        api.MapGet("/agents", (HttpContext context) => ListAgents(context));
        api.MapPost("/agents/{id}/activated", (string id) =>
        {
            lock (_lock)
            {
                _activated[id] = TimeProvider.System.GetUtcNow();
            }

            return Json(new JsonObject { ["ok"] = true });
        });
        api.MapGet("/system/budget-health", () => Json(JsonNode.Parse("""
            {"tools": {"anthropic": {"status": "ok", "used_pct": 1.5, "remaining_usd": 98.5}}, "collective": {"status": "ok"}}
            """)!));
        api.MapPost("/system/consumption", () =>
        {
            lock (_lock)
            {
                ConsumptionReports++;
            }

            return Json(new JsonObject { ["ok"] = true });
        });
    }

    private IResult ListNotifications(HttpContext context)
    {
        var agent = context.Request.Query["agent_id"].ToString();
        var unread = context.Request.Query["unread"] == "true";
        var list = new JsonArray();
        lock (_lock)
        {
            foreach (var note in _notes.Where(n => (agent.Length == 0 || n.Agent == agent) && (!unread || !n.Read)))
            {
                list.Add(new JsonObject
                {
                    ["id"] = note.Id,
                    ["type"] = note.Type,
                    ["post_id"] = note.PostId,
                    ["from_agent"] = Author(note.From),
                    ["content"] = note.Content,
                    ["created_at"] = Time(note.CreatedAt),
                    ["read"] = note.Read,
                });
            }
        }

        return Json(new JsonObject { ["notifications"] = list });
    }

    private async Task<IResult> PollAsync(HttpContext context)
    {
        var timeout = TimeSpan.FromSeconds(int.TryParse(context.Request.Query["timeout"], CultureInfo.InvariantCulture, out var seconds) ? seconds : 30);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        wait.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            JsonArray agents;
            lock (_lock)
            {
                changed = _changed.Task;
                agents = AgentsWithUnread();
            }

            if (agents.Count > 0)
            {
                return Json(new JsonObject { ["agents"] = agents });
            }

            try
            {
                await changed.WaitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                return Json(new JsonObject { ["agents"] = new JsonArray() });
            }
        }
    }

    private IResult ListAgents(HttpContext context)
    {
        lock (_lock)
        {
            if (context.Request.Query["has_notifications"] == "true")
            {
                return Json(new JsonObject { ["agents"] = AgentsWithUnread() });
            }

            var minStaleness = TimeSpan.FromSeconds(double.Parse(context.Request.Query["min_staleness"].FirstOrDefault() ?? "0", CultureInfo.InvariantCulture));
            var now = TimeProvider.System.GetUtcNow();
            var stale = new JsonArray();
            foreach (var agent in _agents.Order(StringComparer.Ordinal))
            {
                if (!_activated.TryGetValue(agent, out var at))
                {
                    stale.Add(new JsonObject { ["id"] = agent, ["name"] = agent });
                }
                else if (now - at >= minStaleness)
                {
                    stale.Add(new JsonObject { ["id"] = agent, ["name"] = agent, ["last_activated_at"] = Time(at) });
                }
            }

            return Json(new JsonObject { ["agents"] = stale });
        }
    }

    private JsonArray AgentsWithUnread()
    {
        var list = new JsonArray();
        foreach (var group in _notes.Where(n => !n.Read).GroupBy(n => n.Agent).OrderBy(g => g.Min(n => n.Number)))
        {
            list.Add(new JsonObject { ["id"] = group.Key, ["name"] = group.Key, ["notification_count"] = group.Count() });
        }

        return list;
    }

    private async Task<IResult> MarkReadAsync(HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        var ids = body.RootElement.GetProperty("notification_ids").EnumerateArray().Select(e => e.GetString()).ToHashSet(StringComparer.Ordinal);
        lock (_lock)
        {
            foreach (var note in _notes.Where(n => ids.Contains(n.Id)))
            {
                note.Read = true;
            }

            Changed();
        }

        return Json(new JsonObject { ["ok"] = true });
    }

    private IResult GetPost(string id, HttpContext context)
    {
        lock (_lock)
        {
            var item = _items.FirstOrDefault(i => i.Id == id);
            if (item is null)
            {
                return Results.NotFound();
            }

            var withComments = context.Request.Query["include_comments"] == "true";
            var shown = withComments ? _items.First(i => i.Id == item.Root) : item;
            var post = new JsonObject { ["id"] = shown.Id, ["author"] = Author(shown.Author), ["content"] = shown.Content, ["created_at"] = Time(shown.CreatedAt) };
            if (shown.Parent is not null)
            {
                post["parent_id"] = shown.Parent;
            }

            if (withComments)
            {
                var comments = new JsonArray();
                foreach (var comment in _items.Where(i => i.Root == shown.Id && i.Parent is not null))
                {
                    comments.Add(new JsonObject { ["id"] = comment.Id, ["author"] = Author(comment.Author), ["content"] = comment.Content, ["parent_id"] = comment.Parent, ["created_at"] = Time(comment.CreatedAt) });
                }

                post["comments"] = comments;
            }

            return Json(post);
        }
    }

    private async Task<IResult> CreateAsync(string? parentId, HttpContext context)
    {
        using var body = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        var root = body.RootElement;
        var agent = root.TryGetProperty("agent_id", out var a) ? a.GetString() : null;
        var user = root.TryGetProperty("user", out var u) ? u.GetString() : null;
        var content = root.GetProperty("content").GetString() ?? "";
        lock (_lock)
        {
            if (parentId is not null && _items.All(i => i.Id != parentId))
            {
                return Results.NotFound();
            }

            var item = AddItem(agent ?? user ?? "anonymous", agent is not null, content, parentId);
            return Json(new JsonObject { ["id"] = item.Id, ["created_at"] = Time(item.CreatedAt), ["author"] = new JsonObject { ["name"] = item.Author } }, 201);
        }
    }

    private Item AddItem(string author, bool isAgent, string content, string? parent)
    {
        var id = parent is null ? $"p-{++_nextPost}" : $"c-{++_nextComment}";
        var root = parent is null ? id : _items.First(i => i.Id == parent).Root;
        var item = new Item(id, root, parent, author, isAgent, content, TimeProvider.System.GetUtcNow());
        _items.Add(item);
        var notified = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in MentionPattern().Matches(content))
        {
            var name = match.Groups[1].Value;
            if (_agents.Contains(name) && name != author && notified.Add(name))
            {
                Notify(name, "mention", item);
            }
        }

        if (parent is not null && _items.First(i => i.Id == parent) is { IsAgent: true } answered && answered.Author != author && notified.Add(answered.Author))
        {
            Notify(answered.Author, "reply", item);
        }

        Changed();
        return item;
    }

    private void Notify(string agent, string type, Item item)
    {
        var number = ++_nextNote;
        _notes.Add(new Note(number, $"n-{number}", agent, type, item.Id, item.Author, item.Content, item.CreatedAt));
    }

    private void Changed()
    {
        var changed = _changed;
        _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    private sealed record Item(string Id, string Root, string? Parent, string Author, bool IsAgent, string Content, DateTimeOffset CreatedAt);

    private sealed record Note(int Number, string Id, string Agent, string Type, string PostId, string From, string Content, DateTimeOffset CreatedAt)
    {
        public bool Read { get; set; }
    }
}
