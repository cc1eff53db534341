using Botburrow.Agents.Configuration;
using Botburrow.Agents.DevHub;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Runner.Activation;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Native.Tests;

/// <summary>
/// The real activation pipeline against the real dev Hub (SQLite, on 127.0.0.1) and a fake Anthropic server,
/// with agent definitions written to a temporary folder.
/// </summary>
internal sealed class PipelineHarness : IAsyncDisposable
{
    private readonly string _root;
    private readonly ServiceProvider _services;
    private int _writes;

    private PipelineHarness(string root, DevHubServer hub, FakeModelServer model, ServiceProvider services, LogCapture logs)
    {
        _root = root;
        Hub = hub;
        Model = model;
        _services = services;
        Logs = logs;
    }

    /// <summary>Every log line of the pipeline (and the runner), Debug and up.</summary>
    public LogCapture Logs { get; }

    public DevHubServer Hub { get; }

    public FakeModelServer Model { get; }

    public IHubClient HubClient => _services.GetRequiredService<IHubClient>();

    public IAgentActivityStore Activity => _services.GetRequiredService<IAgentActivityStore>();

    public ITranscriptStore Transcripts => _services.GetRequiredService<ITranscriptStore>();

    /// <summary>
    /// Starts everything for one agent named <c>tester</c> whose config is <paramref name="configYaml"/> (the name line
    /// is added); with <paramref name="withRunner"/> also a runner service over an embedded work queue
    /// (<see cref="StartRunnerAsync"/>, <see cref="EnqueueAsync"/>); with <paramref name="brain"/> the agent thinks with
    /// that in-memory model instead of the fake model server.
    /// </summary>
    public static async Task<PipelineHarness> StartAsync(string configYaml, Func<int, FakeTurn> script, double dailyLimitUsd = 10, string? systemPrompt = null, IReadOnlyDictionary<string, string>? skills = null, bool withRunner = false, Microsoft.Extensions.AI.IChatClient? brain = null)
    {
        var root = Path.Combine(Path.GetTempPath(), "botburrow-native-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path.Combine(root, "agents", "tester"));
        await File.WriteAllTextAsync(Path.Combine(root, "agents", "tester", "config.yaml"), "name: tester\n" + configYaml);
        if (systemPrompt is not null)
        {
            await File.WriteAllTextAsync(Path.Combine(root, "agents", "tester", "system-prompt.md"), systemPrompt);
        }

        foreach (var (name, text) in skills ?? new Dictionary<string, string>())
        {
            Directory.CreateDirectory(Path.Combine(root, "skills", name));
            await File.WriteAllTextAsync(Path.Combine(root, "skills", name, "SKILL.md"), text);
        }

        var hub = await DevHubServer.StartAsync(new DevHubOptions
        {
            DatabasePath = Path.Combine(root, "hub.db"),
            AgentsDirectory = root,
            Port = 0,
            DefaultDailyLimitUsd = dailyLimitUsd,
            DefaultMonthlyLimitUsd = 0,
        });
        var model = await FakeModelServer.StartAsync(FakeProvider.Anthropic, script);
        var settings = SettingsLoader.Load(new Dictionary<string, string?>
        {
            [SettingNames.AnthropicApiKey] = TestAgents.AnthropicKey,
            [SettingNames.AnthropicBaseUrl] = model.BaseUrl,
            [SettingNames.AgentDefinitionsPath] = root,
        });
        var services = new ServiceCollection();
        var logs = new LogCapture();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        services.AddHubClient(o =>
        {
            o.BaseUrl = hub.Url;
            o.ApiKey = hub.AdminKey;
        });
        services.AddAgentDefinitions(settings);
        if (brain is not null)
        {
            services.AddSingleton(new BrainFactory(settings, TimeProvider.System, _ => brain));
        }

        if (withRunner)
        {
            services.AddSingleton(sp => new EmbeddedWorkQueue(WorkQueueOptions.FromSettings(settings), TimeProvider.System, sp.GetRequiredService<ILogger<EmbeddedWorkQueue>>()));
            services.AddSingleton<IWorkQueue>(sp => sp.GetRequiredService<EmbeddedWorkQueue>());
        }

        services.TryAddSingleton<IHostApplicationLifetime, TestApplicationLifetime>();

        services.AddRunner(settings, withService: withRunner);
        return new PipelineHarness(root, hub, model, services.BuildServiceProvider(), logs);
    }

    /// <summary>A person's post in m/general (mentioning the agent when the text says so); returns its id.</summary>
    public async Task<string> PostAsync(string content, CancellationToken cancellationToken)
        => (await HubClient.CreatePostAsync(new CreatePostRequest { User = "alice", Community = "m/general", Content = content }, "post-" + Interlocked.Increment(ref _writes), cancellationToken)).Id;

    public async Task<string> CommentAsync(string postId, string content, CancellationToken cancellationToken)
        => (await HubClient.CreateCommentAsync(postId, new CreateCommentRequest { User = "bob", Content = content }, "comment-" + Interlocked.Increment(ref _writes), cancellationToken)).Id;

    public Task<ActivationReport> ActivateAsync(TaskType task, string activationId, CancellationToken cancellationToken)
    {
        var work = TestWork.Claimed("tester", task, activationId);
        return _services.GetRequiredService<ActivationPipeline>().RunAsync(work, UnfencedLease.For(work), cancellationToken);
    }

    /// <summary>Runs one activation under <paramref name="lease"/>.</summary>
    public Task<ActivationReport> ActivateAsync(TaskType task, string activationId, IActivationLease lease, CancellationToken cancellationToken)
        => _services.GetRequiredService<ActivationPipeline>().RunAsync(TestWork.Claimed("tester", task, activationId), lease, cancellationToken);

    /// <summary>Starts the runner service (harnesses started with a runner).</summary>
    public Task StartRunnerAsync(CancellationToken cancellationToken) => _services.GetRequiredService<Runner.RunnerService>().StartAsync(cancellationToken);

    /// <summary>Puts one <paramref name="task"/> item for <c>tester</c> on the runner's queue, as the coordinator would.</summary>
    public async Task EnqueueAsync(TaskType task, CancellationToken cancellationToken)
    {
        var queue = _services.GetRequiredService<EmbeddedWorkQueue>();
        var lease = await queue.TryAcquireOrRenewAsync("test-coordinator", TimeSpan.FromMinutes(10), cancellationToken);
        await queue.EnqueueAsync(new WorkItem { AgentId = "tester", TaskType = task, Priority = WorkPriority.High, CreatedAt = TimeProvider.System.GetUtcNow() }, lease!.Epoch, cancellationToken);
    }

    public async Task<int> UnreadAsync(CancellationToken cancellationToken)
        => (await HubClient.ListNotificationsAsync("tester", unreadOnly: true, cancellationToken: cancellationToken)).Count;

    /// <summary>Every comment the agent wrote under <paramref name="postId"/>.</summary>
    public async Task<int> AgentCommentsAsync(string postId, CancellationToken cancellationToken)
        => (await HubClient.GetPostAsync(postId, includeComments: true, cancellationToken)).Comments?.Count(c => c.Author.Name == "tester" || c.Author.Id == "tester") ?? 0;

    public async ValueTask DisposeAsync()
    {
        if (_services.GetService<Runner.RunnerService>() is { } runner)
        {
            await runner.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
        await Model.DisposeAsync();
        await Hub.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The config of a native Anthropic agent with the given <c>behavior</c> lines (indented by two spaces).</summary>
    public static string Config(string behavior = "", string extra = "") => $"""
        version: "1.0.0"
        type: native
        brain:
          provider: anthropic
          model: claude-sonnet-4-5
          max_tokens: 512
        capabilities:
          grants:
            - hub:read
            - hub:write
        interests:
          communities:
            - m/general
        behavior:
          respond_to_mentions: true
        {behavior}
        {extra}
        """;
}
