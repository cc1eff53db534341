using Botburrow.Agents.Redis;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Xunit;

namespace Botburrow.Cli.Tests.Exposure;

/// <summary>The work-store tables (<c>dead list</c> here) show an error that quotes a post with its controls escaped, on one line.</summary>
public sealed class DeadListEscapingTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    [Fact]
    public async Task DeadList_EscapesControlCharactersAndLineBreaksInTheLastError()
    {
        var ct = TestContext.Current.CancellationToken;
        redis.EnsureAvailable();
        await using var connection = await RedisConnection.ConnectAsync(redis.Url, retryFor: TimeSpan.FromSeconds(10));
        await connection.Database.ScriptEvaluateAsync("for _, k in ipairs(redis.call('KEYS', '*')) do redis.call('DEL', k) end return 0");
        var dead = new DeadLetter
        {
            Id = "act-dead-1",
            DeadAt = TimeProvider.System.GetUtcNow(),
            Item = new WorkItem { AgentId = "alpha", TaskType = TaskType.Inbox, Priority = WorkPriority.High, Attempt = 3, LastError = "model said \u001b[2Jcleared\r\nfake row\u202Etxt" },
        };
        await connection.Database.ListLeftPushAsync("work:dead", WorkItemJson.SerializeDead(dead));

        var result = await CliProcess.RunAsync(["dead", "list"], new Dictionary<string, string?> { ["REDIS_URL"] = redis.Url }, cancellationToken: ct);

        Assert.Equal(0, result.ExitCode);
        var lines = result.StandardOutput.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length); // the header and one row: the error's line break did not add a row
        Assert.EndsWith(@"model said \x1B[2Jcleared\x0D\x0Afake row\u202Etxt", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', result.StandardOutput);
    }
}
