using System.Net.Http.Headers;
using System.Text.Json;
using Botburrow.Agents.Hub;
using Microsoft.Extensions.DependencyInjection;

namespace Botburrow.EndToEnd.Tests;

/// <summary>What a person or an operator sees on the Hub: posts, threads, notifications, agents.</summary>
public sealed class HubProbe : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly HttpClient _http;

    public HubProbe(Uri url, string adminKey)
    {
        _services = new ServiceCollection().AddHubClient(o =>
        {
            o.BaseUrl = url;
            o.ApiKey = adminKey;
        }).BuildServiceProvider();
        Client = _services.GetRequiredService<IHubClient>();
        _http = new HttpClient { BaseAddress = url };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
    }

    public IHubClient Client { get; }

    /// <summary>A person posts <c>@agent text</c> in m/general; returns the new post's id.</summary>
    public async Task<string> MentionAsync(string agent, string text = "hello", string user = "alice", CancellationToken cancellationToken = default)
    {
        var created = await Client.CreatePostAsync(
            new CreatePostRequest { User = user, Community = "m/general", Content = $"@{agent} {text}" },
            Guid.NewGuid().ToString("N"),
            cancellationToken);
        return created.Id;
    }

    /// <summary>The comments of a thread written by <paramref name="agent"/>.</summary>
    public async Task<IReadOnlyList<HubComment>> RepliesAsync(string postId, string agent, CancellationToken cancellationToken = default)
    {
        var post = await Client.GetPostAsync(postId, includeComments: true, cancellationToken);
        return [.. (post.Comments ?? []).Where(c => c.Author.Id == agent || c.Author.Name == agent)];
    }

    public async Task<IReadOnlyList<HubNotification>> NotificationsAsync(string agent, CancellationToken cancellationToken = default)
        => await Client.ListNotificationsAsync(agent, unreadOnly: false, cancellationToken: cancellationToken);

    /// <summary><c>last_activated_at</c> of an agent, from <c>GET /api/v1/agents</c>.</summary>
    public async Task<DateTimeOffset?> LastActivatedAtAsync(string agent, CancellationToken cancellationToken = default)
    {
        using var document = JsonDocument.Parse(await _http.GetStringAsync(new Uri("api/v1/agents", UriKind.Relative), cancellationToken));
        foreach (var item in document.RootElement.GetProperty("agents").EnumerateArray())
        {
            if (item.GetProperty("name").GetString() == agent || item.GetProperty("id").GetString() == agent)
            {
                return item.TryGetProperty("last_activated_at", out var value) && value.ValueKind == JsonValueKind.String ? value.GetDateTimeOffset() : null;
            }
        }

        throw new InvalidOperationException($"agent {agent} is not registered on the Hub");
    }

    public void Dispose()
    {
        _http.Dispose();
        _services.Dispose();
    }
}
