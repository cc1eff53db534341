using System.Text;
using Botburrow.Agents.Definitions.Loading;
using Botburrow.Agents.Definitions.Validation;
using Xunit;

namespace Botburrow.Agents.Definitions.Tests;

/// <summary>What a valid definition will not do as written is said when it is loaded.</summary>
public sealed class DefinitionNoticesTests
{
    [Fact]
    public void EmbeddingSearch_WithAProviderWithoutEmbeddings_SaysKeywordIsUsed()
    {
        var notices = DefinitionNotices.For(Parse("anthropic", "embedding_search"));

        Assert.Equal(["memory.retrieval.strategy: provider anthropic has no embeddings API, so agent 'abc' recalls memories by keyword instead of embedding_search"], notices);
    }

    [Theory]
    [InlineData("openai", "embedding_search")]
    [InlineData("local", "embedding_search")]
    [InlineData("anthropic", "keyword")]
    public void ProvidersWithEmbeddings_OrOtherStrategies_HaveNoNotice(string provider, string strategy)
        => Assert.Empty(DefinitionNotices.For(Parse(provider, strategy)));

    [Fact]
    public void CanProposeWithoutTemplates_IsNoticed()
    {
        var agent = Parse("openai", "keyword");
        agent = agent with { Capabilities = agent.Capabilities with { Spawning = new() { CanPropose = true } } };

        Assert.Contains(DefinitionNotices.For(agent), n => n.StartsWith("capabilities.spawning.allowed_templates: empty", StringComparison.Ordinal));
    }

    private static Model.AgentDefinition Parse(string provider, string strategy)
    {
        var yaml = $"name: abc\ntype: native\nbrain:\n  provider: {provider}\n  model: m\n  api_base: http://127.0.0.1:9/v1\ncapabilities:\n  grants: [hub:read]\nmemory:\n  enabled: true\n  remember:\n    conversations_with: [grace]\n  retrieval:\n    strategy: {strategy}\n";
        var result = AgentDefinitionParser.ParseAgent(Encoding.UTF8.GetBytes(yaml), "a/config.yaml");
        Assert.Empty(result.Problems);
        return result.Value!;
    }
}
