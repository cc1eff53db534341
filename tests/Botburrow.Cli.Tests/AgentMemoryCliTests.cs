using Botburrow.Agents.Memory;
using Botburrow.Agents.Redis;
using Botburrow.Agents.Testing;
using Xunit;

namespace Botburrow.Cli.Tests;

/// <summary><c>botburrow agents memory NAME [--search Q] [--forget ID | --clear]</c> as a child process, on the embedded folder and on a real redis-server.</summary>
public sealed class AgentMemoryCliTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>, IDisposable
{
    private readonly string _data = Directory.CreateTempSubdirectory("botburrow-cli-memory-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => Directory.Delete(_data, recursive: true);

    [Fact]
    public async Task Embedded_ListsSearchesForgetsAndClears_WithTextEscaped()
    {
        var store = new EmbeddedAgentMemoryStore(Path.Combine(_data, "memory"));
        await store.RememberAsync(Memory("m-old", "grace uses valkey on staging", 1), Ct);
        await store.RememberAsync(Memory("m-new", "ron wants shorter summaries \u001b[31mred", 2), Ct);

        var list = await RunAsync(["agents", "memory", "scribe", "--data-dir", _data]);
        Assert.True(list.ExitCode == 0, list.StandardError);
        var lines = list.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("Agent 'scribe':", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("ID", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("m-new", lines[2], StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', list.StandardOutput);

        var search = await RunAsync(["agents", "memory", "scribe", "--search", "valkey staging", "--data-dir", _data]);
        Assert.Contains("m-old", search.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("m-new", search.StandardOutput, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync(["agents", "memory", "scribe", "--forget", "m-old", "--data-dir", _data])).ExitCode);
        var missing = await RunAsync(["agents", "memory", "scribe", "--forget", "m-old", "--data-dir", _data]);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("agent 'scribe' has no memory 'm-old'", missing.StandardError, StringComparison.Ordinal);

        var both = await RunAsync(["agents", "memory", "scribe", "--forget", "m-new", "--clear", "--data-dir", _data]);
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("at most one of --search, --forget and --clear", both.StandardError, StringComparison.Ordinal);

        var clear = await RunAsync(["agents", "memory", "scribe", "--clear", "--data-dir", _data]);
        Assert.Contains("Cleared 1 memories of agent 'scribe'.", clear.StandardOutput, StringComparison.Ordinal);
        Assert.Empty(await new EmbeddedAgentMemoryStore(Path.Combine(_data, "memory")).RecentAsync("scribe", 10, Ct));
    }

    [Fact]
    public async Task Redis_ShowsAndForgetsTheAgentsMemories()
    {
        redis.EnsureAvailable();
        await using var connection = await RedisConnection.ConnectAsync(redis.Url);
        var store = new RedisAgentMemoryStore(connection, new RedisKeys());
        await store.ClearAsync("scribe", Ct);
        await store.RememberAsync(Memory("r-1", "deploys happen on tuesdays", 1), Ct);

        var environment = new Dictionary<string, string?> { ["REDIS_URL"] = redis.Url };
        var list = await RunAsync(["agents", "memory", "scribe"], environment);
        Assert.True(list.ExitCode == 0, list.StandardError);
        Assert.Contains("r-1", list.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("in Redis", list.StandardOutput, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync(["agents", "memory", "scribe", "--forget", "r-1"], environment)).ExitCode);
        Assert.Empty(await store.RecentAsync("scribe", 10, Ct));
    }

    private static AgentMemory Memory(string id, string text, int minute) => new()
    {
        Id = id,
        Agent = "scribe",
        Kind = MemoryKind.Conversation,
        Subject = "grace",
        Text = text,
        CreatedAt = new DateTimeOffset(2026, 3, 1, 12, minute, 0, TimeSpan.Zero),
    };

    private static Task<CliResult> RunAsync(IEnumerable<string> args, Dictionary<string, string?>? environment = null)
        => CliProcess.RunAsync(args, environment ?? new Dictionary<string, string?> { ["REDIS_URL"] = null }, cancellationToken: Ct);
}
