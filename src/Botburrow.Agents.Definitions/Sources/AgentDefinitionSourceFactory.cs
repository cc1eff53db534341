using System.Text.RegularExpressions;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Permissions;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Definitions.Sources;

/// <summary>
/// Chooses the source from the settings: <c>AGENT_DEFINITIONS_REPO</c> like <c>owner/repo</c> (no scheme, not an
/// existing path) reads GitHub raw files; any other <c>AGENT_DEFINITIONS_REPO</c> is cloned with git; otherwise
/// the directory <c>AGENT_DEFINITIONS_PATH</c>.
/// </summary>
public static partial class AgentDefinitionSourceFactory
{
    public static AgentDefinitionSourceKind Classify(BotburrowSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var repository = settings.AgentDefinitionsRepo;
        if (string.IsNullOrWhiteSpace(repository))
        {
            return AgentDefinitionSourceKind.Directory;
        }

        return OwnerRepo().IsMatch(repository) && !Directory.Exists(repository)
            ? AgentDefinitionSourceKind.GitHubRaw
            : AgentDefinitionSourceKind.Git;
    }

    public static IAgentDefinitionSource Create(BotburrowSettings settings, Func<HttpClient> httpClient, ILoggerFactory loggerFactory, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var permissions = new PermissionsPolicySource(settings.AgentPermissionsPath);
        IAgentDefinitionSource source = Classify(settings) switch
        {
            AgentDefinitionSourceKind.GitHubRaw => new GitHubRawAgentDefinitionSource(
                httpClient(), settings.AgentDefinitionsRepo!, settings.AgentDefinitionsBranch, loggerFactory.CreateLogger<GitHubRawAgentDefinitionSource>(), permissions),
            AgentDefinitionSourceKind.Git => new GitAgentDefinitionSource(
                settings.AgentDefinitionsRepo!,
                settings.AgentDefinitionsBranch,
                settings.AgentDefinitionsCacheDir,
                settings.AgentDefinitionsPullInterval,
                timeProvider,
                loggerFactory.CreateLogger<GitAgentDefinitionSource>(),
                permissions),
            _ => new DirectoryAgentDefinitionSource(settings.AgentDefinitionsPath, loggerFactory.CreateLogger<DirectoryAgentDefinitionSource>(), permissions),
        };
        var logger = loggerFactory.CreateLogger(typeof(AgentDefinitionSourceFactory));
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.SourceSelected(logger, source.Description);
        }

        return source;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-][A-Za-z0-9_.-]*/[A-Za-z0-9_.-]+$")]
    private static partial Regex OwnerRepo();
}
