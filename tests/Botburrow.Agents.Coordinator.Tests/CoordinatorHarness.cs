using System.Diagnostics;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Sources;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Botburrow.Agents.Coordinator.Tests;

/// <summary>
/// A coordinator host as <c>AddCoordinator</c> composes it, on a <see cref="FakeTimeProvider"/>, an
/// <see cref="InMemoryHub"/>, the embedded work queue (its leader election switchable) and definitions from a
/// temporary folder (switchable to failing).
/// </summary>
internal sealed class CoordinatorHarness : IAsyncDisposable
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);
    private readonly string _root;

    public CoordinatorHarness(Action<InMemoryHub>? arrange = null, TimeSpan? minStaleness = null, params string[] agents)
    {
        _root = Directory.CreateTempSubdirectory("botburrow-coord-").FullName;
        foreach (var agent in agents)
        {
            WriteAgent(agent);
        }

        InstanceId = "coordinator-test-" + Guid.NewGuid().ToString("N")[..8];
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.Zero));
        Queue = new EmbeddedWorkQueue(new WorkQueueOptions(), Time, NullLogger<EmbeddedWorkQueue>.Instance);
        Election = new SwitchableElection(Queue);
        Hub = new InMemoryHub(Time);
        Source = new SwitchableSource(new DirectoryAgentDefinitionSource(_root, NullLogger<DirectoryAgentDefinitionSource>.Instance));
        arrange?.Invoke(Hub);
        Options = new CoordinatorOptions
        {
            InstanceId = InstanceId,
            LeaderLease = TimeSpan.FromSeconds(6),
            PollInterval = TimeSpan.FromSeconds(30),
            LongPollReprobe = TimeSpan.FromMinutes(10),
            MinStaleness = minStaleness ?? TimeSpan.FromSeconds(900),
            ReapInterval = TimeSpan.FromSeconds(5),
        };

        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Logging.SetMinimumLevel(LogLevel.Debug).AddProvider(Logs);
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.Services.AddSingleton<IWorkQueue>(Queue);
        builder.Services.AddSingleton<ILeaderElection>(Election);
        builder.Services.AddSingleton<Hub.IHubClient>(Hub);
        builder.Services.AddSingleton(new AgentDefinitionCache(Source, Time));
        builder.Services.AddCoordinator(SettingsLoader.Load(new Dictionary<string, string?>()), Options);
        App = builder.Build();
    }

    public string InstanceId { get; }

    public FakeTimeProvider Time { get; }

    public EmbeddedWorkQueue Queue { get; }

    public SwitchableElection Election { get; }

    public SwitchableSource Source { get; }

    public InMemoryHub Hub { get; }

    public CapturedLogs Logs { get; } = new();

    public CoordinatorOptions Options { get; }

    public IHost App { get; }

    public LeadershipState Leadership => App.Services.GetRequiredService<LeadershipState>();

    public CoordinatorStatus Status => App.Services.GetRequiredService<CoordinatorStatus>();

    public AgentDefinitionCache Definitions => App.Services.GetRequiredService<AgentDefinitionCache>();

    public void WriteAgent(string name, bool discovery = false, string discoveryFrequency = "staleness")
        => TestAgentConfig.Write(_root, name, "Coordinator test agent.", discovery: discovery, discoveryFrequency: discoveryFrequency);

    /// <summary>Starts the host and advances the clock until this instance leads.</summary>
    public async Task StartLeadingAsync()
    {
        await App.StartAsync(TestContext.Current.CancellationToken);
        await AdvanceUntilAsync(() => Leadership.IsLeader, "this instance to lead");
    }

    /// <summary>Advances the fake clock in small steps, letting the loops run between them, until <paramref name="condition"/> holds.</summary>
    public async Task AdvanceUntilAsync(Func<bool> condition, string what, TimeSpan? step = null, TimeSpan? limit = null)
    {
        var advanced = TimeSpan.Zero;
        var wall = Stopwatch.StartNew();
        while (!condition())
        {
            if (advanced > (limit ?? TimeSpan.FromMinutes(30)) || wall.Elapsed > TestConstants.DefaultTimeout)
            {
                throw new TimeoutException($"waited for {what}; logs: {string.Join(" | ", Logs.Entries.Select(e => e.Event + ": " + e.Message))}");
            }

            await Settle();
            if (condition())
            {
                return;
            }

            Time.Advance(step ?? Step);
            advanced += step ?? Step;
        }
    }

    /// <summary>Lets continuations scheduled by the last clock advance run (the loops run on the thread pool).</summary>
    public static async Task Settle()
    {
        for (var i = 0; i < 5; i++)
        {
            await Task.Yield();
        }

        await Task.Delay(5, TestContext.Current.CancellationToken);
    }

    public async Task<HealthReport> ReadinessAsync()
        => await App.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(r => r.Tags.Contains("ready"), TestContext.Current.CancellationToken);

    public async Task<WorkItem?> ClaimAsync(RunnerMode mode = RunnerMode.Hybrid)
        => (await Queue.TryClaimAsync("runner-1", mode, TestContext.Current.CancellationToken))?.Item;

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await App.StopAsync(stop.Token);
        }
        finally
        {
            App.Dispose();
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
