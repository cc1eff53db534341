using Botburrow.Agents.Definitions.Validation;

namespace Botburrow.Agents.Definitions.Sources;

/// <summary>An agent's definition exists but is invalid; carries every problem.</summary>
public sealed class AgentDefinitionException : Exception
{
    public AgentDefinitionException()
        : this([])
    {
    }

    public AgentDefinitionException(string message)
        : base(message)
    {
        Problems = [];
    }

    public AgentDefinitionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
    }

    public AgentDefinitionException(IReadOnlyList<DefinitionProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<DefinitionProblem> Problems { get; }

    private static string Describe(IReadOnlyList<DefinitionProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return problems.Count switch
        {
            0 => "Invalid agent definition",
            1 => "Invalid agent definition: " + problems[0].Format(),
            _ => $"Invalid agent definition ({problems.Count} problems): " + string.Join("; ", problems.Select(p => p.Format())),
        };
    }
}
