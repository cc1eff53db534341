using System.ClientModel;
using System.ClientModel.Primitives;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Runner.Execution;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Botburrow.Agents.Runner.Memory;

/// <summary>
/// The <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of an agent whose memory uses <c>embedding_search</c>:
/// the OpenAI-compatible embeddings API of its own provider (<c>openai</c>, or the <c>local</c> server at
/// <c>brain.api_base</c>), reached with the same key and base URL as its brain. The model is <c>EMBEDDING_MODEL</c>,
/// else <see cref="DefaultModel"/>. Providers without an embeddings API get none (the agent recalls by keyword).
/// </summary>
public sealed class EmbeddingGeneratorFactory
{
    /// <summary>The variable naming the embeddings model.</summary>
    public const string ModelVariable = "EMBEDDING_MODEL";

    /// <value>text-embedding-3-small.</value>
    public const string DefaultModel = "text-embedding-3-small";

    private readonly BotburrowSettings _settings;
    private readonly PermissionsPolicySource _permissions;

    public EmbeddingGeneratorFactory(BotburrowSettings settings, PermissionsPolicySource permissions)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(permissions);
        _settings = settings;
        _permissions = permissions;
    }

    /// <summary>The model embeddings are asked of.</summary>
    public string Model => _settings.Environment.TryGetValue(ModelVariable, out var model) && !string.IsNullOrWhiteSpace(model) ? model : DefaultModel;

    /// <summary>The agent's generator, or <see langword="null"/> with the reason when it has none.</summary>
    public (IEmbeddingGenerator<string, Embedding<float>>? Generator, string? Problem) Create(AgentDefinition agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        if (!MemoryRetrieval.HasEmbeddings(agent.Brain.Provider))
        {
            return (null, $"provider {agent.Brain.Provider.ToYaml()} has no embeddings API");
        }

        var access = ProviderAccess.For(agent, _settings.Environment, _permissions);
        if (access.Problem is { } problem)
        {
            return (null, problem);
        }

        var options = new OpenAIClientOptions { RetryPolicy = new ClientRetryPolicy(BrainFactory.MaxRetries) };
        if (access.BaseUrl is not null)
        {
            options.Endpoint = new Uri(access.BaseUrl);
        }

        var generator = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(access.Key) ? "no-key" : access.Key), options)
            .GetEmbeddingClient(Model)
            .AsIEmbeddingGenerator();
        return (generator, null);
    }
}
