using Botburrow.Agents.Definitions.Validation;

namespace Botburrow.Agents.Definitions.Sources;

/// <summary>The outcome of <see cref="DefinitionPath.CheckFile"/>: a regular file to read, a refusal, or nothing there.</summary>
internal sealed record FileCheck
{
    public static FileCheck Missing { get; } = new();

    /// <summary>The resolved path to open, when the file is there and may be read.</summary>
    public string? Path { get; private init; }

    /// <summary>Why the file is not read, when it is refused.</summary>
    public DefinitionProblem? Problem { get; private init; }

    public bool IsMissing => Path is null && Problem is null;

    public static FileCheck Found(string path) => new() { Path = path };

    public static FileCheck Refused(DefinitionProblem problem) => new() { Problem = problem };
}
