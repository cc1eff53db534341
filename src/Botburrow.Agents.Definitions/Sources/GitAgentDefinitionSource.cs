using System.Security.Cryptography;
using System.Text;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Definitions.Sources;

/// <summary>
/// Definitions in a git repository (<c>AGENT_DEFINITIONS_REPO</c>: a URL or a local path, branch
/// <c>AGENT_DEFINITIONS_BRANCH</c>), cloned into <c>AGENT_DEFINITIONS_CACHE_DIR</c> on first use and pulled (fetch,
/// then a hard reset to the remote branch) when the last pull is older than <c>AGENT_DEFINITIONS_PULL_INTERVAL</c>.
/// A failed pull keeps the last checkout.
/// </summary>
public sealed class GitAgentDefinitionSource : IAgentDefinitionSource, IDisposable
{
    private readonly string _repository;

    /// <summary>The repository as shown in messages and logs: a password inside a URL masked.</summary>
    private readonly string _shown;
    private readonly string _branch;
    private readonly TimeSpan _pullInterval;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<GitAgentDefinitionSource> _logger;
    private readonly PermissionsPolicySource? _permissions;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long? _lastPull;

    /// <summary>
    /// A source over <paramref name="repository"/>; <paramref name="permissions"/> is the policy whose
    /// <c>provider_keys</c> an agent's <c>brain.api_key_env</c> may name (without one, only the provider's own key).
    /// </summary>
    public GitAgentDefinitionSource(string repository, string branch, string cacheDirectory, TimeSpan pullInterval, TimeProvider timeProvider, ILogger<GitAgentDefinitionSource> logger, PermissionsPolicySource? permissions = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        ArgumentException.ThrowIfNullOrEmpty(branch);
        ArgumentException.ThrowIfNullOrEmpty(cacheDirectory);
        _repository = Directory.Exists(repository) ? Path.GetFullPath(repository) : repository;
        _shown = _repository.Contains("://", StringComparison.Ordinal) ? SecretMasker.MaskUrl(_repository) : _repository;
        _branch = branch;
        _pullInterval = pullInterval;
        _timeProvider = timeProvider;
        _logger = logger;
        _permissions = permissions;
        CheckoutDirectory = Path.Combine(Path.GetFullPath(cacheDirectory), FolderName(_repository, branch));
    }

    /// <summary>The working tree the definitions are read from.</summary>
    public string CheckoutDirectory { get; }

    public string Description => $"git {_shown} (branch {_branch}) in {CheckoutDirectory}";

    public bool SupportsListing => true;

    public Task<AgentDefinition> GetAsync(string agentId, CancellationToken cancellationToken = default)
    {
        DefinitionDirectory.CheckName(agentId);
        return UnderGateAsync(force: false, () => DefinitionDirectory.LoadAgentAsync(CheckoutDirectory, agentId, _permissions, _logger, cancellationToken), cancellationToken);
    }

    public Task<AgentCatalog> ListAsync(CancellationToken cancellationToken = default)
        => UnderGateAsync(force: false, () => DefinitionDirectory.ScanAsync(CheckoutDirectory, _permissions, _logger, cancellationToken), cancellationToken);

    /// <summary>Clones when needed, then fetches and resets to the remote branch now, whatever the interval.</summary>
    public Task PullAsync(CancellationToken cancellationToken = default)
        => UnderGateAsync(force: true, () => Task.FromResult(true), cancellationToken);

    public void Dispose() => _gate.Dispose();

    /// <summary>Refreshes the checkout when due, then reads it; a pull never runs while files are being read.</summary>
    private async Task<T> UnderGateAsync<T>(bool force, Func<Task<T>> read, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_lastPull is null)
            {
                await Task.Run(CloneOrUpdate, cancellationToken);
            }
            else if (force || _timeProvider.GetElapsedTime(_lastPull.Value) >= _pullInterval)
            {
                await Task.Run(PullKeepingLastCheckout, cancellationToken);
            }

            return await read();
        }
        catch (Exception ex) when (ex is TypeInitializationException or DllNotFoundException)
        {
            throw new AgentDefinitionSourceException($"The git library (libgit2) could not be loaded, so {_shown} cannot be cloned: {ex.Message}", ex);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void CloneOrUpdate()
    {
        if (Repository.IsValid(CheckoutDirectory) && SameOrigin())
        {
            PullKeepingLastCheckout();
            return;
        }

        if (Directory.Exists(CheckoutDirectory))
        {
            Directory.Delete(CheckoutDirectory, recursive: true);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(CheckoutDirectory)!); // a full path always has a parent
        try
        {
            Repository.Clone(_repository, CheckoutDirectory, new CloneOptions { BranchName = _branch });
        }
        catch (LibGit2SharpException ex)
        {
            throw new AgentDefinitionSourceException($"Cannot clone agent definitions from {_shown} (branch {_branch}): {Mask(ex.Message)}", ex);
        }

        using var repository = new Repository(CheckoutDirectory);
        _lastPull = _timeProvider.GetTimestamp();
        Log.DefinitionsCloned(_logger, _shown, _branch, repository.Head.Tip?.Sha ?? "(empty)", CheckoutDirectory);
    }

    private void PullKeepingLastCheckout()
    {
        _lastPull = _timeProvider.GetTimestamp();
        try
        {
            using var repository = new Repository(CheckoutDirectory);
            var remote = repository.Network.Remotes["origin"];
            Commands.Fetch(repository, remote.Name, remote.FetchRefSpecs.Select(r => r.Specification), new FetchOptions { Prune = true }, null);
            var tracking = repository.Branches[$"origin/{_branch}"]
                ?? throw new AgentDefinitionSourceException($"branch '{_branch}' not found in {_shown}");
            var old = repository.Head.Tip?.Sha ?? "(empty)";
            if (old == tracking.Tip.Sha)
            {
                Log.DefinitionsUpToDate(_logger, _shown, _branch, old);
                return;
            }

            repository.Reset(ResetMode.Hard, tracking.Tip);
            repository.RemoveUntrackedFiles();
            Log.DefinitionsPulled(_logger, _shown, _branch, old, tracking.Tip.Sha);
        }
        catch (Exception ex) when (ex is LibGit2SharpException or AgentDefinitionSourceException or IOException)
        {
            Log.DefinitionsPullFailed(_logger, _shown, _branch, Mask(ex.Message));
        }
    }

    private string Mask(string message) => message.Replace(_repository, _shown, StringComparison.Ordinal);

    private bool SameOrigin()
    {
        using var repository = new Repository(CheckoutDirectory);
        return repository.Network.Remotes["origin"]?.Url == _repository;
    }

    private static string FolderName(string repository, string branch)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(repository + "\n" + branch)))[..12];
        var tail = Path.GetFileNameWithoutExtension(repository.TrimEnd('/', '\\'));
        var slug = new string(tail.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
        return $"{(slug.Length == 0 ? "repo" : slug)}-{hash}";
    }
}
