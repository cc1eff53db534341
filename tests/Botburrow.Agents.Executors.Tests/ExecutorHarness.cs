using Botburrow.Agents.Configuration;
using Botburrow.Agents.DevHub;
using Botburrow.Agents.Hub;
using Botburrow.Agents.Runner.Activation;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Executors.Tests;

/// <summary>
/// The real activation pipeline against the real dev Hub (SQLite on 127.0.0.1) for one agent named <c>coder</c>,
/// with a fake CLI first on PATH and secrets planted in the runner's environment that no tool may see.
/// </summary>
internal sealed class ExecutorHarness : IAsyncDisposable
{
    public const string AnthropicKey = "sk-ant-cli-test";
    public const string OpenAIKey = "sk-openai-cli-test";
    public const string GitHubToken = "ghp_granted_token_1234";

    /// <summary>Values in the runner's environment that must never reach a tool (not granted, or not a tool's business).</summary>
    public static readonly IReadOnlyDictionary<string, string> PlantedSecrets = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["AWS_SECRET_ACCESS_KEY"] = "planted-aws-secret-0001",
        ["BRAVE_API_KEY"] = "planted-brave-secret-0002",
        ["DATABASE_URL"] = "postgres://planted:planted-db-secret-0003@127.0.0.1/db",
        ["REDIS_URL"] = "redis://:planted-redis-secret-0004@127.0.0.1:6390/0",
        ["ADMIN_TOKEN"] = "planted-admin-token-0005",
    };

    private readonly string _root;
    private readonly ServiceProvider _services;
    private int _writes;

    private ExecutorHarness(string root, DevHubServer hub, ServiceProvider services, FakeCli? cli, LogCapture logs)
    {
        Logs = logs;
        _root = root;
        Hub = hub;
        _services = services;
        Cli = cli;
    }

    public DevHubServer Hub { get; }

    /// <summary>The fake tool, or <see langword="null"/> when the harness was started without one on PATH.</summary>
    public FakeCli? Cli { get; }

    public IHubClient HubClient => _services.GetRequiredService<IHubClient>();

    public string WorkspaceRoot => Path.Combine(_root, "workspaces");

    /// <summary>The agent definitions folder (<c>agents/coder/config.yaml</c>).</summary>
    public string DefinitionsPath => _root;

    public LogCapture Logs { get; }

    /// <summary>
    /// Starts the Hub and the pipeline for <c>coder</c> with <paramref name="configYaml"/> (the name line is added);
    /// <paramref name="program"/> (when given) is a fake CLI with <paramref name="extra"/> bash lines.
    /// </summary>
    public static async Task<ExecutorHarness> StartAsync(string configYaml, string? program, string extra = "", IReadOnlyDictionary<string, string?>? settings = null, bool withRunner = false)
    {
        var root = Path.Combine(Path.GetTempPath(), "botburrow-cli-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(Path.Combine(root, "agents", "coder"));
        await File.WriteAllTextAsync(Path.Combine(root, "agents", "coder", "config.yaml"), "name: coder\n" + configYaml);
        var cli = program is null ? null : FakeCli.Create(root, program, extra);
        var hub = await DevHubServer.StartAsync(new DevHubOptions
        {
            DatabasePath = Path.Combine(root, "hub.db"),
            AgentsDirectory = root,
            Port = 0,
            DefaultDailyLimitUsd = 10,
            DefaultMonthlyLimitUsd = 0,
        });
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["PATH"] = (cli is null ? "" : cli.BinDirectory + ":") + "/usr/local/bin:/usr/bin:/bin",
            ["HOME"] = "/root",
            ["LANG"] = "C.UTF-8",
            [SettingNames.AnthropicApiKey] = AnthropicKey,
            [SettingNames.OpenAIApiKey] = OpenAIKey,
            [SettingNames.GitHubPat] = GitHubToken,
            [SettingNames.AgentDefinitionsPath] = root,
            [SettingNames.WorkspaceRoot] = Path.Combine(root, "workspaces"),
            [SettingNames.HubApiKey] = hub.AdminKey,
        };
        if (cli is not null)
        {
            // The fake tool records its runs in a folder outside the workspace, which a sandbox hides from it; the
            // sandbox has tests of its own (SandboxTests), and the real tools run in it.
            environment[SettingNames.Sandbox] = "off";
        }

        foreach (var (name, value) in PlantedSecrets)
        {
            environment[name] = value;
        }

        foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        var loaded = SettingsLoader.Load(environment);
        var services = new ServiceCollection();
        var logs = new LogCapture();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Debug));
        services.AddHubClient(o =>
        {
            o.BaseUrl = hub.Url;
            o.ApiKey = hub.AdminKey;
        });
        services.AddAgentDefinitions(loaded);
        if (withRunner)
        {
            services.AddSingleton(sp => new EmbeddedWorkQueue(WorkQueueOptions.FromSettings(loaded), TimeProvider.System, sp.GetRequiredService<ILogger<EmbeddedWorkQueue>>()));
            services.AddSingleton<IWorkQueue>(sp => sp.GetRequiredService<EmbeddedWorkQueue>());
        }

        services.TryAddSingleton<IHostApplicationLifetime, TestApplicationLifetime>();

        services.AddRunner(loaded, withService: withRunner);
        return new ExecutorHarness(root, hub, services.BuildServiceProvider(), cli, logs);
    }

    /// <summary>The embedded work queue the runner claims from (harnesses started with a runner).</summary>
    public EmbeddedWorkQueue Queue => _services.GetRequiredService<EmbeddedWorkQueue>();

    /// <summary>Starts the runner service (harnesses started with a runner).</summary>
    public Task StartRunnerAsync(CancellationToken cancellationToken) => _services.GetRequiredService<Runner.RunnerService>().StartAsync(cancellationToken);

    /// <summary>Puts one INBOX item for <c>coder</c> on the queue, as the coordinator would.</summary>
    public async Task EnqueueInboxAsync(CancellationToken cancellationToken)
    {
        var lease = await Queue.TryAcquireOrRenewAsync("test-coordinator", TimeSpan.FromMinutes(10), cancellationToken);
        await Queue.EnqueueAsync(new WorkItem { AgentId = "coder", TaskType = TaskType.Inbox, Priority = WorkPriority.High, CreatedAt = TimeProvider.System.GetUtcNow() }, lease!.Epoch, cancellationToken);
    }

    /// <summary>
    /// Runs a real <c>botburrow activate --agent coder --once</c> process against this Hub, with
    /// <paramref name="toolBin"/> first on PATH and <paramref name="settings"/> added to its environment.
    /// </summary>
    public Task<CliResult> ActivateThroughCliAsync(string toolBin, IReadOnlyDictionary<string, string?> settings, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["PATH"] = toolBin + ":/usr/local/bin:/usr/bin:/bin",
            [SettingNames.HubUrl] = Hub.Url.ToString(),
            [SettingNames.HubApiKey] = Hub.AdminKey,
            [SettingNames.AgentDefinitionsPath] = DefinitionsPath,
            [SettingNames.WorkspaceRoot] = WorkspaceRoot,
            [SettingNames.LogLevel] = "Debug",
        };
        if (Cli is not null)
        {
            environment[SettingNames.Sandbox] = "off"; // as in StartAsync: the fake tool records outside the workspace
        }

        foreach (var (name, value) in settings)
        {
            environment[name] = value;
        }

        return CliProcess.RunAsync(["activate", "--agent", "coder", "--once"], environment, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// <c>SANDBOX</c> for runs of the real tools: <c>required</c> where bubblewrap is installed and always under CI
    /// (the tools must work confined), <c>auto</c> on a developer's machine without it.
    /// </summary>
    public static string SandboxForRealTools => RepositoryPaths.IsCi || File.Exists("/usr/bin/bwrap") || File.Exists("/usr/local/bin/bwrap") ? "required" : "auto";

    /// <summary>The version a repository file pins: <c>ARG NAME=…</c> (Dockerfile) or <c>NAME=…</c> (test.sh).</summary>
    public static string PinnedVersion(string file, string name)
        => System.Text.RegularExpressions.Regex.Match(
            File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, file)),
            $@"^(?:ARG )?{name}=(\S+)$",
            System.Text.RegularExpressions.RegexOptions.Multiline).Groups[1].Value;

    /// <summary>A person's post in m/general; returns its id.</summary>
    public async Task<string> PostAsync(string content, CancellationToken cancellationToken)
        => (await HubClient.CreatePostAsync(new CreatePostRequest { User = "alice", Community = "m/general", Content = content }, "post-" + Interlocked.Increment(ref _writes), cancellationToken)).Id;

    public Task<ActivationReport> ActivateAsync(TaskType task, string activationId, CancellationToken cancellationToken)
    {
        var work = TestWork.Claimed("coder", task, activationId);
        return _services.GetRequiredService<ActivationPipeline>().RunAsync(work, UnfencedLease.For(work), cancellationToken);
    }

    /// <summary>Runs one activation under <paramref name="lease"/>.</summary>
    public Task<ActivationReport> ActivateAsync(TaskType task, string activationId, IActivationLease lease, CancellationToken cancellationToken)
        => _services.GetRequiredService<ActivationPipeline>().RunAsync(TestWork.Claimed("coder", task, activationId), lease, cancellationToken);

    public async Task<int> UnreadAsync(CancellationToken cancellationToken)
        => (await HubClient.ListNotificationsAsync("coder", unreadOnly: true, cancellationToken: cancellationToken)).Count;

    /// <summary>The texts of every comment <c>coder</c> wrote under <paramref name="postId"/>.</summary>
    public async Task<IReadOnlyList<string>> AgentCommentsAsync(string postId, CancellationToken cancellationToken)
        => [.. ((await HubClient.GetPostAsync(postId, includeComments: true, cancellationToken)).Comments ?? [])
            .Where(c => c.Author.Name == "coder" || c.Author.Id == "coder")
            .Select(c => c.Content)];

    public async ValueTask DisposeAsync()
    {
        if (_services.GetService<Runner.RunnerService>() is { } runner)
        {
            await runner.StopAsync(CancellationToken.None);
        }

        await _services.DisposeAsync();
        await Hub.DisposeAsync();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>The config of a <paramref name="type"/> agent; <paramref name="extra"/> is appended as is.</summary>
    public static string Config(string type, string provider = "anthropic", string model = "claude-sonnet-4-5", string grants = "[hub:read, hub:write]", string capabilities = "", string extra = "") => $"""
        version: "1.0.0"
        type: {type}
        brain:
          provider: {provider}
          model: {model}
        capabilities:
          grants: {grants}
        {capabilities}
        interests:
          communities:
            - m/general
        behavior:
          respond_to_mentions: true
          max_iterations: 7
        {extra}
        """;
}
