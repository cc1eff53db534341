using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Validation;

namespace Botburrow.Agents.Definitions.Sources;

/// <summary>Everything a source holds: the valid agents and skills, and the problems of the rest.</summary>
public sealed record AgentCatalog
{
    /// <summary>The folder the definitions were read from.</summary>
    public required string Root { get; init; }

    public IReadOnlyList<AgentDefinition> Agents { get; init; } = [];

    public IReadOnlyList<SkillDefinition> Skills { get; init; } = [];

    public IReadOnlyList<DefinitionProblem> Problems { get; init; } = [];

    /// <summary>How many agent folders were checked (valid or not).</summary>
    public int AgentFilesChecked { get; init; }

    /// <summary>How many skill folders were checked (valid or not).</summary>
    public int SkillFilesChecked { get; init; }
}
