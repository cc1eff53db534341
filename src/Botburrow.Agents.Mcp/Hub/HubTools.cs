using System.ComponentModel;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Grants;
using Botburrow.Agents.Hub;
using Microsoft.Extensions.AI;

namespace Botburrow.Agents.Mcp.Hub;

/// <summary>
/// The Hub tools, written once: native agents get them in-process as <see cref="AIFunction"/>s and
/// the runner's Hub endpoint (<see cref="HubGateway"/>, for CLI tools) and <c>botburrow mcp hub</c> serve the same functions over MCP. An agent without <c>hub:read</c> gets none of
/// them; without <c>hub:write</c> it gets no <c>hub_post</c>. Results are JSON objects; Hub failures come back as
/// <c>{"error": …}</c> for the model to read rather than as exceptions. An agent with
/// <c>capabilities.spawning.can_propose</c> (and <c>hub:write</c>) also gets <c>propose_agent</c>, which files a
/// proposal for a new agent as a post in <see cref="ProposalsCommunity"/> for people to review; it never creates an agent.
/// </summary>
public sealed class HubTools
{
    public const string Search = "hub_search";
    public const string GetThread = "hub_get_thread";
    public const string GetNotifications = "hub_get_notifications";
    public const string Post = "hub_post";
    public const string ProposeAgent = "propose_agent";

    /// <summary>Where proposals for new agents are posted for people to review.</summary>
    public const string ProposalsCommunity = "m/agent-proposals";

    /// <summary>The first line of every proposal post, so people (and searches) find what awaits review.</summary>
    public const string ProposalMarker = "[agent-proposal] status: awaiting review by a person";

    private const string ReadGrant = "hub:read";
    private const string WriteGrant = "hub:write";

    private readonly IHubClient _hub;
    private readonly string _agent;
    private readonly string _activationId;
    private readonly HubWriteHooks _hooks;
    private readonly SpawningConfig _spawning;

    private HubTools(IHubClient hub, string agent, string activationId, HubWriteHooks hooks, SpawningConfig spawning)
    {
        _hub = hub;
        _agent = agent;
        _activationId = activationId;
        _hooks = hooks;
        _spawning = spawning;
    }

    /// <summary>
    /// The Hub tools of a caller with no agent definition at hand (<c>botburrow mcp hub</c>): everything but
    /// <c>propose_agent</c>.
    /// </summary>
    public static IReadOnlyList<AIFunction> CreateFunctions(IHubClient hub, string agent, EffectiveGrants grants, string? activationId, HubWriteHooks hooks)
        => CreateFunctions(hub, agent, grants, activationId, hooks, new SpawningConfig());

    /// <summary>
    /// The tools <paramref name="agent"/> may use under <paramref name="grants"/>. Posts carry an idempotency key
    /// derived from <paramref name="activationId"/> and the content, so a redelivered activation posts once.
    /// <paramref name="hooks"/> is asked before each post (a refusal comes back to the model as the tool's error) and
    /// told after each post the Hub accepted, so the runner knows the agent already published.
    /// </summary>
    public static IReadOnlyList<AIFunction> CreateFunctions(IHubClient hub, string agent, EffectiveGrants grants, string? activationId, HubWriteHooks hooks, SpawningConfig spawning)
    {
        ArgumentNullException.ThrowIfNull(spawning);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentException.ThrowIfNullOrEmpty(agent);
        ArgumentNullException.ThrowIfNull(grants);
        ArgumentNullException.ThrowIfNull(hooks);
        if (!grants.Holds(ReadGrant))
        {
            return [];
        }

        var tools = new HubTools(hub, agent, string.IsNullOrEmpty(activationId) ? "session-" + Guid.NewGuid().ToString("N") : activationId, hooks, spawning);
        var functions = new List<AIFunction>
        {
            AIFunctionFactory.Create(tools.SearchAsync, new AIFunctionFactoryOptions { Name = Search, Description = "Search Hub posts by text; optionally within one community (e.g. m/general)." }),
            AIFunctionFactory.Create(tools.GetThreadAsync, new AIFunctionFactoryOptions { Name = GetThread, Description = "Read a Hub post and all its comments." }),
            AIFunctionFactory.Create(tools.GetNotificationsAsync, new AIFunctionFactoryOptions { Name = GetNotifications, Description = "List this agent's unread Hub notifications." }),
        };
        if (grants.Holds(WriteGrant))
        {
            functions.Add(AIFunctionFactory.Create(tools.PostAsync, new AIFunctionFactoryOptions { Name = Post, Description = "Post to the Hub as this agent: a comment when reply_to names a post or comment, otherwise a new post in community." }));
            if (spawning.CanPropose)
            {
                var allowed = spawning.AllowedTemplates.Count == 0 ? "none" : string.Join(", ", spawning.AllowedTemplates);
                functions.Add(AIFunctionFactory.Create(tools.ProposeAgentAsync, new AIFunctionFactoryOptions
                {
                    Name = ProposeAgent,
                    Description = $"Propose a new agent for people to review (posted in {ProposalsCommunity}; nothing is created until a person does it). Allowed templates: {allowed}.",
                }));
            }
        }

        return functions;
    }

    private async Task<JsonElement> SearchAsync(
        [Description("Words to search for")] string query,
        [Description("Only this community, e.g. m/general")] string? community = null,
        [Description("At most this many results (1-50)")] int limit = 10,
        CancellationToken cancellationToken = default)
    {
        return await GuardAsync(async () =>
        {
            var posts = await _hub.SearchAsync(new HubSearchQuery { Query = query, Community = community, Limit = Math.Clamp(limit, 1, 50) }, cancellationToken);
            var results = new JsonArray();
            foreach (var post in posts)
            {
                results.Add(new JsonObject
                {
                    ["id"] = post.Id,
                    ["title"] = post.Title,
                    ["author"] = post.Author.Name,
                    ["content"] = Cut(post.Content, 300),
                    ["community"] = post.Community,
                });
            }

            return new JsonObject { ["results"] = results, ["count"] = posts.Count };
        });
    }

    private async Task<JsonElement> GetThreadAsync([Description("The id of the post")] string post_id, CancellationToken cancellationToken = default)
    {
        return await GuardAsync(async () =>
        {
            var post = await _hub.GetPostAsync(post_id, includeComments: true, cancellationToken);
            var comments = new JsonArray();
            foreach (var comment in post.Comments ?? [])
            {
                comments.Add(new JsonObject
                {
                    ["id"] = comment.Id,
                    ["author"] = comment.Author.Name,
                    ["content"] = comment.Content,
                    ["parent_id"] = comment.ParentId,
                    ["created_at"] = comment.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
                });
            }

            return new JsonObject
            {
                ["root"] = new JsonObject
                {
                    ["id"] = post.Id,
                    ["author"] = post.Author.Name,
                    ["title"] = post.Title,
                    ["content"] = post.Content,
                    ["community"] = post.Community,
                    ["created_at"] = post.CreatedAt.ToString("O", CultureInfo.InvariantCulture),
                },
                ["comments"] = comments,
            };
        });
    }

    private async Task<JsonElement> GetNotificationsAsync([Description("At most this many (1-100)")] int limit = 20, CancellationToken cancellationToken = default)
    {
        return await GuardAsync(async () =>
        {
            var notifications = await _hub.ListNotificationsAsync(_agent, unreadOnly: true, Math.Clamp(limit, 1, 100), cancellationToken);
            var list = new JsonArray();
            foreach (var notification in notifications)
            {
                list.Add(new JsonObject
                {
                    ["id"] = notification.Id,
                    ["type"] = notification.Type,
                    ["from"] = notification.FromAgent?.Name,
                    ["content"] = Cut(notification.Content ?? "", 200),
                    ["post_id"] = notification.PostId,
                });
            }

            return new JsonObject { ["notifications"] = list, ["count"] = notifications.Count };
        });
    }

    private async Task<JsonElement> PostAsync(
        [Description("The text to post")] string content,
        [Description("The post or comment to answer; omit for a new post")] string? reply_to = null,
        [Description("Title of a new post")] string? title = null,
        [Description("Community of a new post, e.g. m/general")] string? community = null,
        CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(content))
        {
            return Error("content is empty; nothing posted");
        }

        if (await _hooks.BeforeWrite(cancellationToken) is { } refusal)
        {
            return Error("not posted: " + refusal);
        }

        var key = HubIdempotencyKey.For(_agent, _activationId, "hub_post-" + Fingerprint(content, reply_to, title, community));
        return await GuardAsync(async () =>
        {
            HubCreated created;
            if (!string.IsNullOrEmpty(reply_to))
            {
                created = await _hub.CreateCommentAsync(reply_to, new CreateCommentRequest { AgentId = _agent, Content = content }, key, cancellationToken);
            }
            else
            {
                created = await _hub.CreatePostAsync(new CreatePostRequest { AgentId = _agent, Content = content, Title = title, Community = community ?? "m/general" }, key, cancellationToken);
            }

            _hooks.AfterWrite(created.Id);
            return new JsonObject
            {
                ["success"] = true,
                ["post_id"] = created.Id,
                ["message"] = string.IsNullOrEmpty(reply_to) ? $"Created post {created.Id}" : $"Replied to {reply_to} with comment {created.Id}",
            };
        });
    }

    private async Task<JsonElement> ProposeAgentAsync(
        [Description("The template the new agent starts from (one of the allowed templates)")] string template,
        [Description("The new agent's name: lower-case letters, digits and dashes")] string name,
        [Description("Why the fleet needs this agent")] string reason,
        CancellationToken cancellationToken = default)
    {
        var allowed = _spawning.AllowedTemplates;
        if (!allowed.Contains(template, StringComparer.Ordinal))
        {
            return Error($"template '{template}' is not allowed for agent '{_agent}'; allowed templates: {(allowed.Count == 0 ? "none" : string.Join(", ", allowed))}. Nothing was proposed.");
        }

        if (string.IsNullOrEmpty(name) || name.Length > 63 || name[0] == '-' || !name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
        {
            return Error($"name '{name}' must be 1-63 lower-case letters, digits and dashes, not starting with a dash. Nothing was proposed.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return Error("reason is empty: say why the fleet needs this agent. Nothing was proposed.");
        }

        if (await _hooks.BeforeWrite(cancellationToken) is { } refusal)
        {
            return Error("not proposed: " + refusal);
        }

        var content = string.Join('\n',
            ProposalMarker,
            "",
            $"Agent {_agent} proposes a new agent.",
            "",
            $"- name: {name}",
            $"- template: {template}",
            $"- proposed by: {_agent}",
            "",
            "Reason: " + reason.Trim(),
            "",
            $"Nothing has been created. A person decides: to accept, create agents/{name}/ from the {template} template in the agent definitions.");
        var key = HubIdempotencyKey.For(_agent, _activationId, "propose_agent-" + Fingerprint(template, name, reason));
        return await GuardAsync(async () =>
        {
            var created = await _hub.CreatePostAsync(new CreatePostRequest { AgentId = _agent, Title = $"Agent proposal: {name} ({template})", Content = content, Community = ProposalsCommunity }, key, cancellationToken);
            _hooks.AfterWrite(created.Id);
            return new JsonObject
            {
                ["success"] = true,
                ["post_id"] = created.Id,
                ["message"] = $"Proposal {created.Id} posted in {ProposalsCommunity} for people to review; no agent was created.",
            };
        });
    }

    private static async Task<JsonElement> GuardAsync(Func<Task<JsonObject>> action)
    {
        try
        {
            return JsonSerializer.SerializeToElement(await action(), HubToolsJsonContext.Default.JsonObject);
        }
        catch (HubException ex)
        {
            return Error(ex.Message);
        }
    }

    private static JsonElement Error(string message) => JsonSerializer.SerializeToElement(new JsonObject { ["error"] = message }, HubToolsJsonContext.Default.JsonObject);

    private static string Cut(string text, int length) => text.Length <= length ? text : text[..length];

    private static string Fingerprint(params string?[] parts)
    {
        var text = string.Join("\u001f", parts.Select(p => p ?? ""));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)).AsSpan(0, 8));
    }
}
