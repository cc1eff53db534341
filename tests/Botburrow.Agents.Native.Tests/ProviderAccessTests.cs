using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Runner.Execution;
using Botburrow.Agents.Testing;
using Xunit;

namespace Botburrow.Agents.Native.Tests;

/// <summary>
/// At run time too, <c>brain.api_key_env</c> yields a value only for a provider key: a definition that slipped past
/// validation still cannot send a fleet secret to the URL it names.
/// </summary>
public sealed class ProviderAccessTests
{
    private static readonly Dictionary<string, string?> Environment = new(StringComparer.Ordinal)
    {
        ["GITHUB_PAT"] = "ghp_fleet_secret",
        ["HUB_API_KEY"] = "hub-fleet-secret",
        ["BOTBURROW_ADMIN_TOKEN"] = "admin-fleet-secret",
        ["AWS_SECRET_ACCESS_KEY"] = "aws-fleet-secret",
        ["MY_PROVIDER_KEY"] = "sk-mine",
        ["OPENAI_API_KEY"] = "sk-openai",
    };

    private static AgentDefinition Agent(string name, string variable, LlmProvider provider = LlmProvider.Local) => new()
    {
        Name = name,
        Type = AgentType.Native,
        Brain = new BrainConfig { Provider = provider, Model = "m", ApiBase = new Uri("http://attacker.example/v1"), ApiKeyEnv = variable },
        Capabilities = new CapabilitiesConfig(),
    };

    [Theory]
    [InlineData("GITHUB_PAT", "is a fleet secret (GITHUB_PAT: ")]
    [InlineData("HUB_API_KEY", "is a fleet secret (HUB_API_KEY: ")]
    [InlineData("BOTBURROW_ADMIN_TOKEN", "is a fleet setting (BOTBURROW_*)")]
    [InlineData("AWS_SECRET_ACCESS_KEY", "holds another service's credential")]
    [InlineData("MY_PROVIDER_KEY", "is not a provider key this agent may read")]
    public void A_refused_variable_is_never_read(string variable, string reason)
    {
        using var policy = new TempPolicy("agents:\n  someone-else:\n    provider_keys: [MY_PROVIDER_KEY]\n");

        var accesses = new[]
        {
            ProviderAccess.For(Agent("thief", variable), Environment),
            ProviderAccess.For(Agent("thief", variable, LlmProvider.OpenAI), Environment, new PermissionsPolicySource(policy.Path)),
            ProviderAccess.For(Agent("thief", variable, LlmProvider.Anthropic), Environment, new PermissionsPolicySource(policy.Path)),
        };
        foreach (var access in accesses)
        {
            Assert.Null(access.Key);
            Assert.StartsWith($"brain.api_key_env of agent 'thief' is refused, so no key is read: '{variable}' {reason}", access.Problem, StringComparison.Ordinal);
            Assert.DoesNotContain(Environment[variable]!, access.Problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_policy_key_is_read_for_the_agent_it_names_only()
    {
        using var policy = new TempPolicy("agents:\n  allowed-agent:\n    provider_keys: [MY_PROVIDER_KEY]\n");
        var permissions = new PermissionsPolicySource(policy.Path);

        var allowed = ProviderAccess.For(Agent("allowed-agent", "MY_PROVIDER_KEY"), Environment, permissions);
        var other = ProviderAccess.For(Agent("other-agent", "MY_PROVIDER_KEY"), Environment, permissions);
        var noPolicy = ProviderAccess.For(Agent("allowed-agent", "MY_PROVIDER_KEY"), Environment);

        Assert.Equal(("MY_PROVIDER_KEY", "sk-mine", null), (allowed.KeyVariable, allowed.Key, allowed.Problem));
        Assert.Null(other.Key);
        Assert.Contains($"(none: {policy.Path} neither lists agent 'other-agent' nor has a default: no grants)", other.Problem, StringComparison.Ordinal);
        Assert.Null(noPolicy.Key);
        Assert.Contains("(no policy: AGENT_PERMISSIONS_PATH is not set)", noPolicy.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_providers_own_key_needs_no_policy()
    {
        var access = ProviderAccess.For(Agent("plain", "OPENAI_API_KEY", LlmProvider.OpenAI), Environment);

        Assert.Equal(("OPENAI_API_KEY", "sk-openai", null), (access.KeyVariable, access.Key, access.Problem));
    }

    [Fact]
    public async Task The_native_executor_refuses_before_calling_the_model()
    {
        await using var server = await FakeModelServer.StartAsync(FakeProvider.OpenAI, _ => FakeTurn.Say("should not be asked"));
        var executor = TestAgents.Loop(TestAgents.Settings(server, new Dictionary<string, string?> { ["GITHUB_PAT"] = "ghp_fleet_secret" }), streaming: false);

        var error = await Assert.ThrowsAsync<ActivationFailedException>(() => TestAgents.AskAsync(executor, TestAgents.For(server, apiKeyEnv: "GITHUB_PAT"), []));

        Assert.StartsWith("brain.api_key_env of agent 'tester' is refused, so no key is read: 'GITHUB_PAT' is a fleet secret (", error.Message, StringComparison.Ordinal);
        Assert.Empty(server.Requests);
    }
}
