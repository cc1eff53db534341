using System.Text.Json;
using Botburrow.Agents.DevHub;
using Botburrow.Agents.Redis;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using StackExchange.Redis;
using Xunit;

namespace Botburrow.Cli.Tests.Operations;

/// <summary>
/// A small real fleet for doctor tests: a dev Hub, agent definitions in a temp folder, a flushed redis-server, a
/// leader lease and a live runner heartbeat. Each test then breaks one thing and runs the real CLI.
/// </summary>
internal sealed class DoctorFleet : IAsyncDisposable
{
    public const string HubKey = "doctor-admin-key";
    public const string AlphaConfig = """
        version: "1.0.0"
        name: alpha
        type: native
        brain:
          provider: anthropic
          model: claude-sonnet-4-20250514
        capabilities:
          grants:
            - hub:read
            - hub:write
        """;

    private DoctorFleet(string directory, DevHubServer hub, RedisConnection connection, RedisWorkQueue queue, string redisUrl)
    {
        Directory = directory;
        Hub = hub;
        Connection = connection;
        Queue = queue;
        RedisUrl = redisUrl;
    }

    public string Directory { get; }

    public string DefinitionsPath => Path.Combine(Directory, "definitions");

    public DevHubServer Hub { get; }

    public RedisConnection Connection { get; }

    public RedisWorkQueue Queue { get; }

    public string RedisUrl { get; }

    public IDatabase Db => Connection.Database;

    public long Epoch { get; private set; }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Starts the fleet; <paramref name="agents"/> maps agent name to config.yaml text (alpha by default).</summary>
    public static async Task<DoctorFleet> StartAsync(RedisServerFixture redis, IReadOnlyDictionary<string, string>? agents = null, bool leader = true, RunnerMode? runner = RunnerMode.Hybrid)
    {
        redis.EnsureAvailable();
        var directory = System.IO.Directory.CreateTempSubdirectory("botburrow-doctor-").FullName;
        foreach (var (name, config) in agents ?? new Dictionary<string, string> { ["alpha"] = AlphaConfig })
        {
            var folder = Path.Combine(directory, "definitions", "agents", name);
            System.IO.Directory.CreateDirectory(folder);
            await File.WriteAllTextAsync(Path.Combine(folder, "config.yaml"), config, Ct);
        }

        var hub = await DevHubServer.StartAsync(new DevHubOptions { DatabasePath = Path.Combine(directory, "hub.db"), AdminKey = HubKey, Port = 0, AgentsDirectory = Path.Combine(directory, "definitions") }, cancellationToken: Ct);
        var connection = await RedisConnection.ConnectAsync(redis.Url, retryFor: TimeSpan.FromSeconds(10));
        await connection.Database.ScriptEvaluateAsync("for _, k in ipairs(redis.call('KEYS', '*')) do redis.call('DEL', k) end return 0");
        var queue = new RedisWorkQueue(connection, new WorkQueueOptions());
        var fleet = new DoctorFleet(directory, hub, connection, queue, redis.Url);
        if (leader)
        {
            var lease = await queue.TryAcquireOrRenewAsync("coordinator-test", TimeSpan.FromMinutes(5), Ct);
            fleet.Epoch = lease!.Epoch;
        }

        if (runner is { } mode)
        {
            await fleet.HeartbeatAsync(mode);
        }

        return fleet;
    }

    public Task HeartbeatAsync(RunnerMode mode, string id = "runner-test")
        => Queue.HeartbeatAsync(new RunnerHeartbeat { RunnerId = id, Mode = mode, Concurrency = 2, StartedAt = DateTimeOffset.UnixEpoch }, [], Ct);

    /// <summary>The environment of a healthy fleet; <paramref name="overrides"/> change or (with null) remove entries.</summary>
    public Dictionary<string, string?> Environment(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["REDIS_URL"] = RedisUrl,
            ["HUB_URL"] = Hub.Url.ToString(),
            ["HUB_API_KEY"] = HubKey,
            ["AGENT_DEFINITIONS_PATH"] = DefinitionsPath,
            ["SCRIPTED_BRAIN"] = "offline",
            ["LOG_LEVEL"] = "Warning",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            env[key] = value;
        }

        return env;
    }

    /// <summary>Runs <c>botburrow doctor --json</c> and returns the exit code and findings.</summary>
    public async Task<DoctorRun> DoctorJsonAsync(IReadOnlyDictionary<string, string?>? overrides = null, params string[] options)
    {
        var result = await CliProcess.RunAsync(["doctor", "--json", .. options], Environment(overrides), cancellationToken: Ct);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(result.StandardOutput);
        }
        catch (JsonException ex)
        {
            throw new Xunit.Sdk.XunitException($"doctor --json printed no JSON ({ex.Message}); exit {result.ExitCode}\nstdout:\n{result.StandardOutput}\nstderr:\n{result.StandardError}");
        }

        using (document)
        {
            var findings = document.RootElement.GetProperty("findings").EnumerateArray().Select(f => new Finding(
                f.GetProperty("check").GetString()!,
                f.GetProperty("status").GetString()!,
                f.TryGetProperty("subject", out var s) ? s.GetString() : null,
                f.GetProperty("seen").GetString()!,
                f.GetProperty("remedy").GetString()!)).ToList();
            return new DoctorRun(result.ExitCode, findings, result.StandardOutput + result.StandardError);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Hub.DisposeAsync();
        await Connection.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
