namespace Botburrow.Agents.Definitions.Sources;

/// <summary>Which source the settings select.</summary>
public enum AgentDefinitionSourceKind
{
    /// <summary><c>AGENT_DEFINITIONS_PATH</c> (git-sync layout).</summary>
    Directory,

    /// <summary><c>AGENT_DEFINITIONS_REPO</c> as a git URL or local path, cloned and pulled.</summary>
    Git,

    /// <summary><c>AGENT_DEFINITIONS_REPO</c> as GitHub <c>owner/repo</c>, raw files for single lookups.</summary>
    GitHubRaw,
}
