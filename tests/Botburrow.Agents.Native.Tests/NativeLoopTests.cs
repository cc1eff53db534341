using Botburrow.Agents.Testing;
using System.Text.Json;
using Botburrow.Agents.Runner.Consumption;
using Botburrow.Agents.Runner.Execution;
using Microsoft.Extensions.AI;
using Xunit;

namespace Botburrow.Agents.Native.Tests;

/// <summary>The native loop against fake Anthropic and OpenAI servers speaking the real wire formats.</summary>
public sealed class NativeLoopTests
{
    private static readonly string[] Cities = ["Oslo", "Lima", "Pune"];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Anthropic_ThreeToolCalls_CompleteWithToolUseHistoryOnTheWire(bool streaming)
    {
        await using var server = await FakeModelServer.StartAsync(FakeProvider.Anthropic, ThreeCallsThenAnswer(FakeProvider.Anthropic));
        var (answer, meter) = await RunThreeCallsAsync(server, streaming);

        Assert.Equal("Oslo is sunny, Lima is cloudy.", answer.Text);
        var requests = server.Requests;
        Assert.Equal(4, requests.Count);
        Assert.All(requests, r => Assert.Equal("Bearer " + TestAgents.AnthropicKey, r.Authorization));
        var last = requests[3].Body;
        Assert.Equal("claude-sonnet-4-5", last.GetProperty("model").GetString());
        Assert.Equal(777, last.GetProperty("max_tokens").GetInt32());
        // The Messages API version of the Anthropic SDK (13.x) has no temperature parameter; see docs/native-agents.md.
        Assert.Contains("You are the tester.", last.GetProperty("system").ToString(), StringComparison.Ordinal);
        Assert.Equal("lookup", last.GetProperty("tools")[0].GetProperty("name").GetString());

        // user, then (assistant tool_use, user tool_result) three times.
        var messages = last.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(7, messages.Count);
        Assert.Equal("user", messages[0].GetProperty("role").GetString());
        for (var i = 0; i < 3; i++)
        {
            var assistant = messages[1 + (2 * i)];
            Assert.Equal("assistant", assistant.GetProperty("role").GetString());
            var toolUse = assistant.GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_use");
            Assert.Equal("toolu_" + i, toolUse.GetProperty("id").GetString());
            Assert.Equal("lookup", toolUse.GetProperty("name").GetString());
            Assert.Equal(Cities[i], toolUse.GetProperty("input").GetProperty("city").GetString());

            var user = messages[2 + (2 * i)];
            Assert.Equal("user", user.GetProperty("role").GetString());
            var result = user.GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_result");
            Assert.Equal("toolu_" + i, result.GetProperty("tool_use_id").GetString());
            var text = result.GetProperty("content").ToString();
            if (i == 2)
            {
                // A tool error goes back to the model.
                Assert.Contains("no weather station in Pune", text, StringComparison.Ordinal);
            }
            else
            {
                Assert.Contains("weather in " + Cities[i], text, StringComparison.Ordinal);
            }
        }

        // The second request carried exactly the first exchange.
        Assert.Equal(3, requests[1].Body.GetProperty("messages").GetArrayLength());
        AssertUsage(answer, meter, 4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OpenAI_ThreeToolCalls_CompleteWithToolCallsAndToolMessagesOnTheWire(bool streaming)
    {
        await using var server = await FakeModelServer.StartAsync(FakeProvider.OpenAI, ThreeCallsThenAnswer(FakeProvider.OpenAI));
        var (answer, meter) = await RunThreeCallsAsync(server, streaming);

        Assert.Equal("Oslo is sunny, Lima is cloudy.", answer.Text);
        var requests = server.Requests;
        Assert.Equal(4, requests.Count);
        Assert.All(requests, r => Assert.Equal("Bearer " + TestAgents.OpenAIKey, r.Authorization));
        var last = requests[3].Body;
        Assert.Equal("gpt-4o-mini", last.GetProperty("model").GetString());
        Assert.Equal(0.25, last.GetProperty("temperature").GetDouble(), 3);
        var maxTokens = last.TryGetProperty("max_completion_tokens", out var mct) ? mct : last.GetProperty("max_tokens");
        Assert.Equal(777, maxTokens.GetInt32());
        Assert.Equal("lookup", last.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());

        // system, user, then (assistant tool_calls, tool) three times.
        var messages = last.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(8, messages.Count);
        Assert.Equal("system", messages[0].GetProperty("role").GetString());
        Assert.Equal("user", messages[1].GetProperty("role").GetString());
        for (var i = 0; i < 3; i++)
        {
            var assistant = messages[2 + (2 * i)];
            Assert.Equal("assistant", assistant.GetProperty("role").GetString());
            var call = Assert.Single(assistant.GetProperty("tool_calls").EnumerateArray());
            Assert.Equal("call_" + i, call.GetProperty("id").GetString());
            Assert.Equal("function", call.GetProperty("type").GetString());
            Assert.Equal("lookup", call.GetProperty("function").GetProperty("name").GetString());
            using var arguments = JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!);
            Assert.Equal(Cities[i], arguments.RootElement.GetProperty("city").GetString());

            var tool = messages[3 + (2 * i)];
            Assert.Equal("tool", tool.GetProperty("role").GetString());
            Assert.Equal("call_" + i, tool.GetProperty("tool_call_id").GetString());
            var text = tool.GetProperty("content").ToString();
            Assert.Contains(i == 2 ? "no weather station in Pune" : "weather in " + Cities[i], text, StringComparison.Ordinal);
        }

        Assert.Equal(4, requests[1].Body.GetProperty("messages").GetArrayLength());
        if (streaming)
        {
            Assert.True(last.GetProperty("stream").GetBoolean());
        }

        AssertUsage(answer, meter, 4);
    }

    [Theory]
    [InlineData(FakeProvider.Anthropic)]
    [InlineData(FakeProvider.OpenAI)]
    public async Task MaxIterations2_ModelAlwaysCallsTools_StopsAfterTwoTurnsNamingMaxIterations(FakeProvider provider)
    {
        await using var server = await FakeModelServer.StartAsync(provider, n => FakeTurn.Call((provider == FakeProvider.Anthropic ? "toolu_" : "call_") + n, "lookup", "{\"city\":\"Oslo\"}"));
        var executor = TestAgents.Loop(TestAgents.Settings(server), streaming: false);
        var meter = new ActivationMeter(ModelPriceTable.Default);

        var error = await Assert.ThrowsAsync<ActivationFailedException>(() => TestAgents.AskAsync(executor, TestAgents.For(server, maxIterations: 2), [Lookup()], meter));

        Assert.Contains("max_iterations (2)", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
        Assert.Equal(2, meter.ModelCalls);
        Assert.Equal(20, meter.InputTokens);
    }

    [Fact]
    public async Task Anthropic_401_FailsWithTheKeyVariableRejected()
    {
        await using var server = await FakeModelServer.StartAsync(FakeProvider.Anthropic, _ => new FakeTurn { Status = 401 });
        var executor = TestAgents.Loop(TestAgents.Settings(server), streaming: true);

        var error = await Assert.ThrowsAsync<ActivationFailedException>(() => TestAgents.AskAsync(executor, TestAgents.For(server), []));

        Assert.Equal("ANTHROPIC_API_KEY rejected (401)", error.Message);
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task OpenAI_401_NamesTheAgentsKeyVariable()
    {
        await using var server = await FakeModelServer.StartAsync(FakeProvider.OpenAI, _ => new FakeTurn { Status = 401 });
        using var policy = new TempPolicy("agents:\n  tester:\n    provider_keys: [TEAM_OPENAI_KEY]\n");
        var executor = TestAgents.Loop(TestAgents.Settings(server, new Dictionary<string, string?> { ["TEAM_OPENAI_KEY"] = "sk-team", ["AGENT_PERMISSIONS_PATH"] = policy.Path }), streaming: false);

        var error = await Assert.ThrowsAsync<ActivationFailedException>(() => TestAgents.AskAsync(executor, TestAgents.For(server, apiKeyEnv: "TEAM_OPENAI_KEY"), []));

        Assert.Equal("TEAM_OPENAI_KEY rejected (401)", error.Message);
        Assert.Equal("Bearer sk-team", server.Requests[0].Authorization);
    }

    [Theory]
    [InlineData(FakeProvider.Anthropic)]
    [InlineData(FakeProvider.OpenAI)]
    public async Task RateLimited429_IsRetriedAfterRetryAfter(FakeProvider provider)
    {
        await using var server = await FakeModelServer.StartAsync(provider, n => n == 0
            ? new FakeTurn { Status = 429, Headers = new Dictionary<string, string> { ["retry-after"] = "2" } }
            : FakeTurn.Say("fine"));
        var executor = TestAgents.Loop(TestAgents.Settings(server), streaming: false);

        var answer = await TestAgents.AskAsync(executor, TestAgents.For(server), []);

        Assert.Equal("fine", answer.Text);
        var requests = server.Requests;
        Assert.Equal(2, requests.Count);

        // Both SDKs' own first backoff is under a second: a gap of two seconds is the retry-after header's.
        Assert.True(requests[1].At - requests[0].At >= TimeSpan.FromSeconds(1.9), $"retried after {(requests[1].At - requests[0].At).TotalSeconds:0.00} s");
    }

    [Fact]
    public async Task Local_OpenAICompatibleServer_NeedsNoKey_AndReportsTokensWithoutCost()
    {
        await using var server = await FakeModelServer.StartAsync(FakeProvider.OpenAI, _ => FakeTurn.Say("local answer", input: 42, output: 8) with { Model = "llama3.1:8b" });
        var settings = Configuration.SettingsLoader.Load(new Dictionary<string, string?>());
        var agent = TestAgents.For(server) with { Brain = new Definitions.Model.BrainConfig { Provider = Definitions.Model.LlmProvider.Local, Model = "llama3.1:8b", ApiBase = new Uri(server.BaseUrl + "/v1") } };
        var meter = new ActivationMeter(ModelPriceTable.Default, budgetUsd: 0.000001m);

        var answer = await TestAgents.AskAsync(TestAgents.Loop(settings, streaming: true), agent, [], meter);

        Assert.Equal("local answer", answer.Text);
        Assert.Equal("llama3.1:8b", server.Requests[0].Body.GetProperty("model").GetString());
        Assert.Equal(42, meter.InputTokens);
        Assert.Equal(8, meter.OutputTokens);
        Assert.Null(meter.CostUsd); // an unknown model has tokens and no cost
    }

    private static async Task<(AgentAnswer Answer, ActivationMeter Meter)> RunThreeCallsAsync(FakeModelServer server, bool streaming)
    {
        var executor = TestAgents.Loop(TestAgents.Settings(server), streaming);
        var meter = new ActivationMeter(ModelPriceTable.Default);
        var answer = await TestAgents.AskAsync(executor, TestAgents.For(server), [Lookup()], meter);
        return (answer, meter);
    }

    private static Func<int, FakeTurn> ThreeCallsThenAnswer(FakeProvider provider)
        => n => n < 3
            ? FakeTurn.Call((provider == FakeProvider.Anthropic ? "toolu_" : "call_") + n, "lookup", $"{{\"city\":\"{Cities[n]}\"}}", input: 100 * (n + 1), output: 7)
            : FakeTurn.Say("Oslo is sunny, Lima is cloudy.", input: 500, output: 11);

    private static AIFunction Lookup() => AIFunctionFactory.Create(
        (string city) => city == "Pune" ? throw new InvalidOperationException("no weather station in Pune") : "weather in " + city + ": fine",
        "lookup",
        "Looks up the weather of a city.");

    private static void AssertUsage(AgentAnswer answer, ActivationMeter meter, int calls)
    {
        // 100 + 200 + 300 + 500 in, 7 * 3 + 11 out, exactly as the fake reported.
        Assert.Equal(1100, answer.InputTokens);
        Assert.Equal(32, answer.OutputTokens);
        Assert.Equal(calls, meter.ModelCalls);
        var expected = ModelPriceTable.Default.Cost(meter.Model, 1100, 32);
        Assert.NotNull(expected);
        Assert.Equal(expected, meter.CostUsd);
    }
}
