using System.Globalization;

namespace Botburrow.Agents.Definitions.Validation;

/// <summary>
/// One problem of a definition file: where it is (file, 1-based line and column), which field, and what is wrong
/// (with the allowed values).
/// </summary>
public sealed record DefinitionProblem
{
    /// <summary>The file's full path (or URL).</summary>
    public required string File { get; init; }

    public required int Line { get; init; }

    /// <summary>The column, when known.</summary>
    public int? Column { get; init; }

    /// <summary>The field path such as <c>brain.temperature</c> or <c>capabilities.grants[2]</c>; empty for the whole file.</summary>
    public required string Field { get; init; }

    public required string Message { get; init; }

    /// <summary><c>FILE:LINE[:COLUMN]: FIELD: MESSAGE</c>, the file shown relative to <paramref name="baseDirectory"/> when inside it.</summary>
    public string Format(string? baseDirectory = null)
    {
        var file = File;
        if (baseDirectory is not null && !File.Contains("://", StringComparison.Ordinal))
        {
            var relative = Path.GetRelativePath(baseDirectory, File);
            if (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative))
            {
                file = relative;
            }
        }

        var position = Column is { } column
            ? string.Create(CultureInfo.InvariantCulture, $"{Line}:{column}")
            : Line.ToString(CultureInfo.InvariantCulture);
        return Field.Length == 0 ? $"{file}:{position}: {Message}" : $"{file}:{position}: {Field}: {Message}";
    }

    public override string ToString() => Format();
}
