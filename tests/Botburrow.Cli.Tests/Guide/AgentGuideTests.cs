using System.Text.Json;
using Botburrow.Agents.Testing;
using Botburrow.Agents.Work;
using Botburrow.Cli.Tests.Operations;
using Xunit;

namespace Botburrow.Cli.Tests.Guide;

/// <summary>
/// The troubleshooting guide's "Agent Activation Failing", "Agent Not Responding", "Agent Timeout" and "Agent
/// Looping", provoked against a real fleet (dev Hub, redis-server, coordinator and runner processes, a model API on
/// loopback): the guide's literal grep works and <c>botburrow doctor</c> names the problem.
/// </summary>
public sealed class AgentGuideTests(RedisServerFixture redis) : IClassFixture<RedisServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>"Agent Timeout": kubectl logs runner-xxx | grep "activation_duration" finds the duration of a real activation.</summary>
    [Fact]
    public async Task AgentTimeout_GrepActivationDuration_FindsTheDurationOfARealActivation()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis, leader: false, runner: null);
        var (coordinator, _) = GuideFleet.Start(fleet, ["coordinator"]);
        var (runner, _) = GuideFleet.Start(fleet, ["runner", "--mode", "hybrid"], new Dictionary<string, string?> { ["RUNNER_ID"] = "runner-test-guide" });
        await using (coordinator)
        await using (runner)
        {
            await coordinator.WaitForStandardErrorAsync("became_leader", Ct);
            await GuideFleet.MentionAsync(fleet, "alpha");
            await runner.WaitForStandardErrorAsync("activation_completed", Ct);

            var lines = GuideFleet.Grep(runner, "activation_duration");
            var completed = Assert.Single(lines, l => l.Contains("\"activation_completed\"", StringComparison.Ordinal));
            using var line = JsonDocument.Parse(completed);
            Assert.True(line.RootElement.GetProperty("activation_duration").GetDouble() >= 0);
            Assert.Equal("alpha", line.RootElement.GetProperty("agent_id").GetString());
            Assert.False(string.IsNullOrEmpty(line.RootElement.GetProperty("activation_id").GetString()));
            Assert.Equal("runner-test-guide", line.RootElement.GetProperty("runner_id").GetString());
            Assert.DoesNotContain("\"ActivationDuration\"", runner.StandardError, StringComparison.Ordinal);
            Assert.DoesNotContain("\"AgentId\"", runner.StandardError, StringComparison.Ordinal);
        }
    }

    /// <summary>"Agent Not Responding: agent configured not to respond": the config line the guide greps, and doctor says it (info).</summary>
    [Fact]
    public async Task RespondToMentionsFalse_TheGuidesGrepShowsIt_AndDoctorNamesTheAgent()
    {
        var quiet = DoctorFleet.AlphaConfig.Replace("name: alpha", "name: quiet", StringComparison.Ordinal) + "\nbehavior:\n  respond_to_mentions: false\n";
        await using var fleet = await DoctorFleet.StartAsync(redis, new Dictionary<string, string> { ["alpha"] = DoctorFleet.AlphaConfig, ["quiet"] = quiet });
        var config = await File.ReadAllLinesAsync(Path.Combine(fleet.DefinitionsPath, "agents", "quiet", "config.yaml"), Ct);
        Assert.Contains(config, l => l.Contains("respond_to_mentions", StringComparison.Ordinal) && l.Contains("false", StringComparison.Ordinal));

        var run = await fleet.DoctorJsonAsync();

        var finding = run.One("agent.respond_to_mentions", "quiet");
        Assert.Equal("info", finding.Status);
        Assert.Contains("behavior.respond_to_mentions is false", finding.Seen, StringComparison.Ordinal);
        Assert.Contains("respond_to_mentions: true", finding.Remedy, StringComparison.Ordinal);
        Assert.DoesNotContain(run.Findings, f => f.Check == "agent.respond_to_mentions" && f.Subject == "alpha");
        Assert.Equal(0, run.ExitCode);
    }

    /// <summary>
    /// "Agent Activation Failing: LLM API errors (Invalid API key)": a key that is set but rejected fails
    /// agent.llm_key with the provider's answer; a good key passes; agents sharing a key cost one call;
    /// --offline asks nobody.
    /// </summary>
    [Theory]
    [InlineData(FakeProvider.Anthropic)]
    [InlineData(FakeProvider.OpenAI)]
    public async Task LlmKeySetButRejected_DoctorFailsLlmKey_OneCallPerKey(FakeProvider provider)
    {
        await using var model = await FakeModelServer.StartAsync(provider, _ => throw new InvalidOperationException("doctor never asks for a completion"));
        model.AcceptedKey = "sk-good";
        var (providerName, keyVariable, baseVariable, baseUrl) = provider == FakeProvider.Anthropic
            ? ("anthropic", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL", model.BaseUrl)
            : ("openai", "OPENAI_API_KEY", "OPENAI_BASE_URL", model.BaseUrl + "/v1");
        var config = DoctorFleet.AlphaConfig.Replace("provider: anthropic", "provider: " + providerName, StringComparison.Ordinal);
        await using var fleet = await DoctorFleet.StartAsync(redis, new Dictionary<string, string>
        {
            ["alpha"] = config,
            ["beta"] = config.Replace("name: alpha", "name: beta", StringComparison.Ordinal),
        });
        Dictionary<string, string?> Key(string key) => new() { ["SCRIPTED_BRAIN"] = null, [keyVariable] = key, [baseVariable] = baseUrl };

        var rejected = await fleet.DoctorJsonAsync(Key("sk-revoked"));

        rejected.AssertFails("agent.llm_key", "alpha", keyVariable, "verify it has credits");
        var seen = rejected.One("agent.llm_key", "alpha").Seen;
        Assert.Contains($"{keyVariable} is set but {providerName} rejects it", seen, StringComparison.Ordinal);
        Assert.Contains("401 Unauthorized", seen, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-revoked", rejected.Output, StringComparison.Ordinal);
        Assert.Equal("fail", rejected.One("agent.llm_key", "beta").Status);
        Assert.Equal(1, model.ModelListings); // two agents, one key: one call

        var accepted = await fleet.DoctorJsonAsync(Key("sk-good"));
        Assert.Equal("ok", accepted.One("agent.llm_key", "alpha").Status);
        Assert.Contains($"{keyVariable} accepted by {providerName}", accepted.One("agent.llm_key", "alpha").Seen, StringComparison.Ordinal);
        Assert.Equal(2, model.ModelListings);

        var offline = await fleet.DoctorJsonAsync(Key("sk-revoked"), "--offline");
        Assert.Equal("info", offline.One("agent.llm_key", "alpha").Status);
        Assert.Contains("not verified", offline.One("agent.llm_key", "alpha").Seen, StringComparison.Ordinal);
        Assert.Equal(2, model.ModelListings);
    }

    /// <summary>
    /// "Agent Looping": the same agent started again and again on its unread mentions, every run stopped or
    /// failed. doctor names the agent and the guide's remedies.
    /// </summary>
    [Fact]
    public async Task AgentActivatedRepeatedlyWithoutSuccess_DoctorWarnsItIsLooping()
    {
        await using var fleet = await DoctorFleet.StartAsync(redis);
        for (var i = 0; i < 5; i++)
        {
            var outcome = await fleet.Queue.EnqueueAsync(new WorkItem { AgentId = "alpha", TaskType = TaskType.Inbox, Priority = WorkPriority.High, CreatedAt = TimeProvider.System.GetUtcNow() }, fleet.Epoch, Ct);
            Assert.Equal(EnqueueOutcome.Enqueued, outcome);
            var claimed = await fleet.Queue.TryClaimAsync("runner-test", RunnerMode.Hybrid, Ct);
            Assert.NotNull(claimed);
            await fleet.Queue.CompleteAsync(claimed, WorkOutcome.Cancelled, "stopped by an operator", Ct);
        }

        var run = await fleet.DoctorJsonAsync();

        var looping = run.One("agent.looping", "alpha");
        Assert.Equal("warn", looping.Status);
        Assert.Contains("activated 5 times in 10 min without success (5 cancelled; 5 for its inbox", looping.Seen, StringComparison.Ordinal);
        Assert.Contains("grep \"iteration\"", looping.Remedy, StringComparison.Ordinal);
        Assert.Contains("max_iterations", looping.Remedy, StringComparison.Ordinal);
        Assert.Contains("redis-cli DEL \"activation:ID\"", looping.Remedy, StringComparison.Ordinal);
    }
}
