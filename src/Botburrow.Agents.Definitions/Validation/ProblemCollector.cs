using Botburrow.Agents.Definitions.Yaml;

namespace Botburrow.Agents.Definitions.Validation;

/// <summary>Collects the problems of one file.</summary>
internal sealed class ProblemCollector(string file)
{
    private readonly List<DefinitionProblem> _problems = [];

    public string File { get; } = file;

    public IReadOnlyList<DefinitionProblem> Problems => _problems;

    public bool HasProblems => _problems.Count > 0;

    public void Add(YNode node, string field, string message) => Add(node.Line, node.Column, field, message);

    public void Add(int line, int? column, string field, string message)
        => _problems.Add(new DefinitionProblem { File = File, Line = line, Column = column, Field = field, Message = message });
}
