using System.Net;
using Botburrow.Agents.Definitions.Loading;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Definitions.Sources;

/// <summary>
/// Single agents read from GitHub raw files (<c>AGENT_DEFINITIONS_REPO</c> as <c>owner/repo</c>):
/// <c>https://raw.githubusercontent.com/&lt;repo&gt;/&lt;branch&gt;/agents/&lt;id&gt;/config.yaml</c>. Listing is not supported.
/// </summary>
public sealed class GitHubRawAgentDefinitionSource : IAgentDefinitionSource
{
    /// <summary>The default base address of raw files.</summary>
    public static readonly Uri DefaultBaseAddress = new("https://raw.githubusercontent.com/");

    private readonly HttpClient _http;
    private readonly string _repository;
    private readonly string _branch;
    private readonly Uri _baseAddress;
    private readonly ILogger<GitHubRawAgentDefinitionSource> _logger;
    private readonly PermissionsPolicySource? _permissions;

    /// <summary>Reads from <paramref name="http"/>'s <see cref="HttpClient.BaseAddress"/>, or <see cref="DefaultBaseAddress"/> when it has none.</summary>
    public GitHubRawAgentDefinitionSource(HttpClient http, string repository, string branch, ILogger<GitHubRawAgentDefinitionSource> logger, PermissionsPolicySource? permissions = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        _http = http;
        _repository = repository.Trim('/');
        _branch = branch;
        _logger = logger;
        _permissions = permissions;
        var baseAddress = http.BaseAddress ?? DefaultBaseAddress;
        _baseAddress = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
    }

    public string Description => $"GitHub raw files of {_repository} (branch {_branch}) at {_baseAddress}";

    public bool SupportsListing => false;

    public async Task<AgentDefinition> GetAsync(string agentId, CancellationToken cancellationToken = default)
    {
        DefinitionDirectory.CheckName(agentId);
        var folder = new Uri(_baseAddress, $"{_repository}/{Uri.EscapeDataString(_branch)}/agents/{agentId}/");
        var configUrl = new Uri(folder, DefinitionDirectory.ConfigFile);
        var config = await FetchAsync(configUrl, cancellationToken)
            ?? throw NotFound(configUrl);
        var promptUrl = new Uri(folder, DefinitionDirectory.SystemPromptFile);
        var promptBytes = await FetchAsync(promptUrl, cancellationToken);
        string? prompt = null;
        if (promptBytes is not null)
        {
            var promptResult = AgentDefinitionParser.ParseSystemPrompt(promptBytes, promptUrl.AbsoluteUri);
            if (promptResult.Value is null)
            {
                throw new AgentDefinitionException(promptResult.Problems);
            }

            prompt = promptResult.Value;
        }

        var result = AgentDefinitionParser.ParseAgent(config, configUrl.AbsoluteUri, agentId, prompt, permissions: _permissions);
        if (result.Value is null)
        {
            Log.DefinitionInvalid(_logger, configUrl.AbsoluteUri, result.Problems.Count, result.Problems[0].Format());
            throw new AgentDefinitionException(result.Problems);
        }

        Log.DefinitionLoaded(_logger, result.Value.Name, configUrl.AbsoluteUri);
        return result.Value;
    }

    public Task<AgentCatalog> ListAsync(CancellationToken cancellationToken = default)
        => Task.FromException<AgentCatalog>(new AgentDefinitionSourceException(
            $"Listing agents is not possible with GitHub raw files ({_repository}); set AGENT_DEFINITIONS_PATH to a directory or AGENT_DEFINITIONS_REPO to a git URL or path"));

    private AgentConfigNotFoundException NotFound(Uri url)
    {
        Log.AgentConfigNotFound(_logger, url.AbsoluteUri);
        return new AgentConfigNotFoundException(url.AbsoluteUri);
    }

    private async Task<byte[]?> FetchAsync(Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            Log.DefinitionFetched(_logger, url.AbsoluteUri, (int)response.StatusCode);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new AgentDefinitionSourceException($"GET {url.AbsoluteUri} returned {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            return await DefinitionDirectory.ReadLimitedAsync(stream, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw new AgentDefinitionSourceException($"GET {url.AbsoluteUri} failed: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new AgentDefinitionSourceException($"GET {url.AbsoluteUri} timed out", ex);
        }
    }
}
