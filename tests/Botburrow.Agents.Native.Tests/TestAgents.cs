using Botburrow.Agents.Testing;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Botburrow.Agents.Native.Tests;

/// <summary>Agents, settings and executors pointed at a fake model server.</summary>
internal static class TestAgents
{
    public const string AnthropicKey = "sk-ant-test";
    public const string OpenAIKey = "sk-openai-test";

    public static AgentDefinition For(FakeModelServer server, int? maxIterations = null, string? apiKeyEnv = null) => new()
    {
        Name = "tester",
        Type = AgentType.Native,
        Brain = server.Provider == FakeProvider.Anthropic
            ? new BrainConfig { Provider = LlmProvider.Anthropic, Model = "claude-sonnet-4-5", Temperature = 0.25, MaxTokens = 777 }
            : new BrainConfig { Provider = LlmProvider.OpenAI, Model = "gpt-4o-mini", Temperature = 0.25, MaxTokens = 777, ApiBase = new Uri(server.BaseUrl + "/v1"), ApiKeyEnv = apiKeyEnv },
        Capabilities = new CapabilitiesConfig { Grants = ["hub:read"] },
        Behavior = new BehaviorConfig { MaxIterations = maxIterations },
    };

    public static BotburrowSettings Settings(FakeModelServer server, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            [SettingNames.AnthropicApiKey] = AnthropicKey,
            [SettingNames.AnthropicBaseUrl] = server.BaseUrl,
            [SettingNames.OpenAIApiKey] = OpenAIKey,
        };
        foreach (var (name, value) in extra ?? new Dictionary<string, string?>())
        {
            environment[name] = value;
        }

        return SettingsLoader.Load(environment);
    }

    public static NativeLoop Loop(BotburrowSettings settings, bool streaming)
        => new(new BrainFactory(settings, TimeProvider.System), NullLoggerFactory.Instance, new NativeExecutorOptions { DefaultMaxIterations = 10, Streaming = streaming });

    /// <summary>The context of a test activation of <paramref name="agent"/> (INBOX, never losing its lease).</summary>
    public static ActivationContext Context(AgentDefinition agent, ActivationMeter? meter = null)
    {
        var work = TestWork.Claimed(agent.Name, TaskType.Inbox, "test-activation");
        return new ActivationContext
        {
            Work = work,
            Agent = agent,
            Meter = meter ?? new ActivationMeter(Runner.Consumption.ModelPriceTable.Default),
            Lease = UnfencedLease.For(work),
        };
    }

    /// <summary>Asks <paramref name="agent"/> through <paramref name="loop"/> with <paramref name="tools"/> to look up three cities.</summary>
    public static Task<AgentAnswer> AskAsync(NativeLoop loop, AgentDefinition agent, IReadOnlyList<Microsoft.Extensions.AI.AITool> tools, ActivationMeter? meter = null)
        => loop.AnswerAsync(
            Context(agent, meter),
            "You are the tester.",
            tools,
            new AgentQuestion { Subject = "test question", Text = "Look up three cities, then answer." },
            new ConversationRecorder("test question"),
            TestContext.Current.CancellationToken);
}
