using Botburrow.Agents.Definitions.Validation;

namespace Botburrow.Agents.Definitions.Loading;

/// <summary>A parsed definition, or every problem that kept it from loading.</summary>
public sealed record DefinitionParseResult<T>
    where T : class
{
    /// <summary>The definition; <see langword="null"/> when there are problems.</summary>
    public T? Value { get; init; }

    public IReadOnlyList<DefinitionProblem> Problems { get; init; } = [];

    public bool IsValid => Value is not null && Problems.Count == 0;
}
