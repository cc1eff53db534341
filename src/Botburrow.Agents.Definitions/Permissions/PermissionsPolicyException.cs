using Botburrow.Agents.Definitions.Validation;

namespace Botburrow.Agents.Definitions.Permissions;

/// <summary>The permissions policy file is missing or malformed; the message names the file and line of each problem.</summary>
public sealed class PermissionsPolicyException : Exception
{
    public PermissionsPolicyException()
        : this("Invalid permissions policy")
    {
    }

    public PermissionsPolicyException(string message)
        : base(message)
    {
        Problems = [];
    }

    public PermissionsPolicyException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [];
    }

    public PermissionsPolicyException(IReadOnlyList<DefinitionProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    public IReadOnlyList<DefinitionProblem> Problems { get; }

    private static string Describe(IReadOnlyList<DefinitionProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        return problems.Count == 1
            ? "Invalid permissions policy: " + problems[0].Format()
            : $"Invalid permissions policy ({problems.Count} problems): " + string.Join("; ", problems.Select(p => p.Format()));
    }
}
