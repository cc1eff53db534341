using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Sources;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Coordinator;

/// <summary>
/// Agent definitions as the coordinator's loops read them. When the source fails (GitHub or the git remote
/// unreachable, a bad answer) the failure is logged once (then at Debug until it recovers) as "Agent config
/// loading fails" with its cause and the
/// source's URL (secrets masked), readiness reports it, and the definitions seen before keep being served, so agents
/// whose definitions were loaded keep being activated until the source answers again.
/// </summary>
internal sealed partial class DefinitionLookup
{
    private readonly AgentDefinitionCache _cache;
    private readonly CoordinatorStatus _status;
    private readonly ILogger<DefinitionLookup> _logger;
    private readonly ConcurrentDictionary<string, AgentDefinition> _lastGood = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, byte> _reported = new(StringComparer.Ordinal);
    private IReadOnlyList<AgentDefinition> _lastList = [];

    public DefinitionLookup(AgentDefinitionCache cache, CoordinatorStatus status, ILogger<DefinitionLookup> logger)
    {
        _cache = cache;
        _status = status;
        _logger = logger;
    }

    /// <summary>Loads every definition once at start so the first poll does not wait for it; a failure is reported, not thrown.</summary>
    public async Task PrewarmAsync(CancellationToken cancellationToken)
    {
        var definitions = await ListAsync(cancellationToken);
        if (_status.DefinitionsProblem is null)
        {
            LogPrewarmed(_logger, definitions.Count);
        }
    }

    /// <summary>The agent's definition; null when it has none, or when its definition cannot be loaded and none was seen before.</summary>
    public async Task<AgentDefinition?> FindAsync(string agent, CancellationToken cancellationToken)
    {
        try
        {
            var definition = await _cache.GetAsync(agent, cancellationToken);
            _lastGood[agent] = definition;
            _reported.TryRemove(agent, out _);
            Loaded();
            return definition;
        }
        catch (AgentConfigNotFoundException ex)
        {
            _lastGood.TryRemove(agent, out _);
            if (_reported.TryAdd(agent, 0))
            {
                LogUnknownAgent(_logger, agent, ex.Message);
            }

            return null;
        }
        catch (AgentDefinitionException ex)
        {
            if (_reported.TryAdd(agent, 0))
            {
                LogInvalidDefinition(_logger, agent, ex);
            }

            return null;
        }
        catch (Exception ex) when (IsSourceFailure(ex, cancellationToken))
        {
            Failed(ex);
            return _lastGood.GetValueOrDefault(agent);
        }
    }

    /// <summary>Every valid definition; the last list that loaded while the source fails.</summary>
    public async Task<IReadOnlyList<AgentDefinition>> ListAsync(CancellationToken cancellationToken)
    {
        try
        {
            var definitions = await _cache.ListAsync(cancellationToken);
            _lastList = definitions;
            foreach (var definition in definitions)
            {
                _lastGood[definition.Name] = definition;
            }

            Loaded();
            return definitions;
        }
        catch (Exception ex) when (IsSourceFailure(ex, cancellationToken))
        {
            Failed(ex);
            return _lastList;
        }
    }

    /// <summary>Masks the secrets of every URL inside <paramref name="text"/>.</summary>
    public static string MaskUrls(string text)
        => UrlPattern().Replace(text, match => SecretMasker.MaskUrl(match.Value));

    private static bool IsSourceFailure(Exception ex, CancellationToken cancellationToken)
        => ex is AgentDefinitionSourceException or HttpRequestException or IOException or TimeoutException
            || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    private void Failed(Exception ex)
    {
        var cause = MaskUrls(ex.Message);
        if (_status.DefinitionsFailed(cause))
        {
            // The exception is logged too; its message may carry the URL unmasked, so a masked copy stands in for it.
            var logged = string.Equals(cause, ex.Message, StringComparison.Ordinal) ? ex : new AgentDefinitionSourceException(cause, ex.InnerException ?? new InvalidOperationException(ex.GetType().Name));
            var source = MaskUrls(_cache.Source.Description);
            LogConfigLoadingFails(_logger, cause, source, _lastGood.Count, logged);
        }
        else
        {
            LogConfigLoadingStillFails(_logger, cause);
        }
    }

    private void Loaded()
    {
        if (_status.DefinitionsLoaded())
        {
            var source = MaskUrls(_cache.Source.Description);
            LogConfigLoadingRecovered(_logger, source);
        }
    }

    [GeneratedRegex(@"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s'""<>]+")]
    private static partial Regex UrlPattern();

    [LoggerMessage(EventName = "config_cache_prewarmed", Level = LogLevel.Information, Message = "Loaded {Count} agent definition(s)")]
    private static partial void LogPrewarmed(ILogger logger, int count);

    [LoggerMessage(EventName = "agent_config_loading_fails", Level = LogLevel.Error, Message = "Agent config loading fails: {Cause} (source: {Source}); the coordinator keeps polling and serves the {Cached} definition(s) it has cached")]
    private static partial void LogConfigLoadingFails(ILogger logger, string cause, string source, int cached, Exception exception);

    [LoggerMessage(EventName = "agent_config_loading_still_fails", Level = LogLevel.Debug, Message = "Agent config loading still fails: {Cause}")]
    private static partial void LogConfigLoadingStillFails(ILogger logger, string cause);

    [LoggerMessage(EventName = "agent_config_loading_recovered", Level = LogLevel.Information, Message = "Agent definitions load again from {Source}")]
    private static partial void LogConfigLoadingRecovered(ILogger logger, string source);

    [LoggerMessage(EventName = "unknown_agent", Level = LogLevel.Warning, Message = "The Hub lists agent {AgentId} but it has no definition: {Error}")]
    private static partial void LogUnknownAgent(ILogger logger, string agentId, string error);

    [LoggerMessage(EventName = "invalid_agent_definition", Level = LogLevel.Error, Message = "Agent {AgentId} has an invalid definition; it is not activated until it is fixed")]
    private static partial void LogInvalidDefinition(ILogger logger, string agentId, Exception exception);
}
