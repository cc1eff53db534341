using Botburrow.Agents.Configuration;
using Botburrow.Agents.DevHub;
using Botburrow.Agents.Testing;
using Microsoft.Extensions.Logging;
using Xunit;

namespace Botburrow.EndToEnd.Tests;

/// <summary><c>botburrow activate --agent ID --once</c>: one activation in the foreground against a running Hub.</summary>
public sealed class ActivateOnceTests : IDisposable
{
    private readonly TestAgents _agents = new();

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public void Dispose() => _agents.Dispose();

    [Fact]
    public async Task ActivateOnce_AnswersTheUnreadMention_ThenUnknownAgentFailsCleanly()
    {
        _agents.AddAgent("helper");
        _agents.Script("helper", "Answered in the foreground.", inputTokens: 10, outputTokens: 5);
        await using var hub = await DevHubServer.StartAsync(
            new DevHubOptions { DatabasePath = Path.Combine(_agents.Root, "hub.db"), AgentsDirectory = _agents.DefinitionsDirectory, Port = 0 },
            logging => logging.ClearProviders(),
            Cancel);
        using var probe = new HubProbe(hub.Url, hub.AdminKey);
        var postId = await probe.MentionAsync("helper", cancellationToken: Cancel);
        var environment = new Dictionary<string, string?>
        {
            [SettingNames.HubUrl] = hub.Url.ToString(),
            [SettingNames.HubApiKey] = hub.AdminKey,
            [SettingNames.AgentDefinitionsPath] = _agents.DefinitionsDirectory,
            [SettingNames.ScriptedBrain] = _agents.ScriptsDirectory,
            [SettingNames.LogLevel] = "Warning",
        };

        var result = await CliProcess.RunAsync(["activate", "--agent", "helper", "--once"], environment, cancellationToken: Cancel);

        Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
        Assert.Equal("helper: succeeded; 1 notification(s), 1 posted, 0 skipped; 10 in / 5 out tokens", result.StandardOutput.Trim());
        Assert.Equal("Answered in the foreground.", Assert.Single(await probe.RepliesAsync(postId, "helper", Cancel)).Content);
        Assert.All(await probe.NotificationsAsync("helper", Cancel), n => Assert.True(n.Read));
        Assert.NotNull(await probe.LastActivatedAtAsync("helper", Cancel));

        var unknown = await CliProcess.RunAsync(["activate", "--agent", "nobody", "--once"], environment, cancellationToken: Cancel);

        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("nobody: failed: Agent config not found", unknown.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", unknown.StandardError, StringComparison.Ordinal);
    }
}
