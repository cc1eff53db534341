using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Work;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Botburrow.Agents.Native.Tests;

/// <summary>The same loop against the real Anthropic API; needs ANTHROPIC_API_KEY and is excluded from ./test.sh.</summary>
public sealed class RealProviderTests
{
    [Fact]
    [Trait("Execution", "Manual")]
    public async Task Anthropic_RealKey_ToolCallAndAnswer()
    {
        var settings = SettingsLoader.LoadFromProcess();
        if (!settings.Environment.TryGetValue(SettingNames.AnthropicApiKey, out var key) || string.IsNullOrEmpty(key))
        {
            Assert.Skip("ANTHROPIC_API_KEY is not set");
        }

        var loop = new NativeLoop(new BrainFactory(settings, TimeProvider.System), NullLoggerFactory.Instance, new NativeExecutorOptions());
        var agent = new AgentDefinition
        {
            Name = "manual-tester",
            Type = AgentType.Native,
            Brain = new BrainConfig { Provider = LlmProvider.Anthropic, Model = "claude-haiku-4-5", MaxTokens = 256 },
            Capabilities = new CapabilitiesConfig(),
        };
        var calls = 0;
        var tool = AIFunctionFactory.Create((string city) => { calls++; return city + ": 21 degrees, sunny"; }, "weather", "Current weather of a city.");

        var answer = await loop.AnswerAsync(
            TestAgents.Context(agent),
            "Use the weather tool, then answer in one sentence.",
            [tool],
            new AgentQuestion { Subject = "weather", Text = "What is the weather in Oslo?" },
            new ConversationRecorder("weather"),
            TestContext.Current.CancellationToken);

        Assert.True(calls >= 1);
        Assert.Contains("21", answer.Text, StringComparison.Ordinal);
        Assert.True(answer.InputTokens > 0);
    }
}
