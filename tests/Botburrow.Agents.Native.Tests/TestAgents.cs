using Botburrow.Agents.Testing;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Work;
using Microsoft.Extensions.Logging.Abstractions;

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

    public static NativeExecutor Executor(BotburrowSettings settings, bool streaming)
        => new(new BrainFactory(settings, TimeProvider.System), NullLoggerFactory.Instance, new NativeExecutorOptions { DefaultMaxIterations = 10, Streaming = streaming });

    public static AgentPrompt Prompt(AgentDefinition agent, IReadOnlyList<Microsoft.Extensions.AI.AITool> tools, ActivationMeter? meter = null) => new()
    {
        Agent = agent,
        Task = TaskType.Inbox,
        ActivationId = "test-activation",
        SystemPrompt = "You are the tester.",
        UserPrompt = "Look up three cities, then answer.",
        Tools = tools,
        Meter = meter ?? new ActivationMeter(Runner.Consumption.ModelPriceTable.Default),
    };
}
