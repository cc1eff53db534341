using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.Definitions;

/// <summary>The log events of agent definitions.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, EventName = "definition_loaded", Level = LogLevel.Debug, Message = "Loaded agent definition {AgentId} from {Source}")]
    public static partial void DefinitionLoaded(ILogger logger, string agentId, string source);

    [LoggerMessage(EventId = 2002, EventName = "definition_invalid", Level = LogLevel.Warning, Message = "Agent definition {Source} has {ProblemCount} problem(s); first: {FirstProblem}")]
    public static partial void DefinitionInvalid(ILogger logger, string source, int problemCount, string firstProblem);

    [LoggerMessage(EventId = 2003, EventName = "agent_config_not_found", Level = LogLevel.Warning, Message = "Agent config not found: {Path}")]
    public static partial void AgentConfigNotFound(ILogger logger, string path);

    [LoggerMessage(EventId = 2004, EventName = "skill_loaded", Level = LogLevel.Debug, Message = "Loaded skill {Skill} from {Source}")]
    public static partial void SkillLoaded(ILogger logger, string skill, string source);

    [LoggerMessage(EventId = 2005, EventName = "definitions_scanned", Level = LogLevel.Debug, Message = "Scanned {Root}: {AgentCount} agent(s), {SkillCount} skill(s), {ProblemCount} problem(s)")]
    public static partial void DefinitionsScanned(ILogger logger, string root, int agentCount, int skillCount, int problemCount);

    [LoggerMessage(EventId = 2006, EventName = "definitions_cloned", Level = LogLevel.Information, Message = "Cloned agent definitions {Repository} ({Branch}) at {Commit} into {Directory}")]
    public static partial void DefinitionsCloned(ILogger logger, string repository, string branch, string commit, string directory);

    [LoggerMessage(EventId = 2007, EventName = "definitions_pulled", Level = LogLevel.Information, Message = "Pulled agent definitions {Repository} ({Branch}): {OldCommit} -> {NewCommit}")]
    public static partial void DefinitionsPulled(ILogger logger, string repository, string branch, string oldCommit, string newCommit);

    [LoggerMessage(EventId = 2008, EventName = "definitions_up_to_date", Level = LogLevel.Debug, Message = "Agent definitions {Repository} ({Branch}) are up to date at {Commit}")]
    public static partial void DefinitionsUpToDate(ILogger logger, string repository, string branch, string commit);

    [LoggerMessage(EventId = 2009, EventName = "definitions_pull_failed", Level = LogLevel.Warning, Message = "Pulling agent definitions {Repository} ({Branch}) failed; keeping the last checkout: {Error}")]
    public static partial void DefinitionsPullFailed(ILogger logger, string repository, string branch, string error);

    [LoggerMessage(EventId = 2010, EventName = "definition_fetched", Level = LogLevel.Debug, Message = "Fetched {Url}: {StatusCode}")]
    public static partial void DefinitionFetched(ILogger logger, string url, int statusCode);

    [LoggerMessage(EventId = 2011, EventName = "definitions_source_selected", Level = LogLevel.Debug, Message = "Agent definitions source: {Source}")]
    public static partial void SourceSelected(ILogger logger, string source);

    [LoggerMessage(EventId = 2012, EventName = "definition_notice", Level = LogLevel.Warning, Message = "Agent definition {Source}: {Notice}")]
    public static partial void DefinitionNotice(ILogger logger, string source, string notice);
}
