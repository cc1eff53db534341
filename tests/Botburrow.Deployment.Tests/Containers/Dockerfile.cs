using System.Text.RegularExpressions;
using Botburrow.Agents.Testing;

namespace Botburrow.Deployment.Tests.Containers;

/// <summary>A parsed Dockerfile: global ARGs and stages with their instructions.</summary>
internal sealed partial class Dockerfile
{
    private Dockerfile(IReadOnlyDictionary<string, string> globalArgs, IReadOnlyList<DockerStage> stages)
    {
        GlobalArgs = globalArgs;
        Stages = stages;
    }

    public static string PathOnDisk => Path.Combine(RepositoryPaths.RepositoryRoot, "Dockerfile");

    public IReadOnlyDictionary<string, string> GlobalArgs { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    public static Dockerfile Load() => Parse(File.ReadAllText(PathOnDisk));

    public static Dockerfile Parse(string text)
    {
        var instructions = new List<DockerInstruction>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var start = i + 1;
            var joined = line;
            while (joined.EndsWith('\\') && i + 1 < lines.Length)
            {
                joined = joined[..^1];
                var next = lines[++i].Trim();
                if (!next.StartsWith('#'))
                {
                    joined += " " + next;
                }
            }

            var space = joined.IndexOfAny([' ', '\t']);
            instructions.Add(new DockerInstruction(joined[..space].ToUpperInvariant(), joined[(space + 1)..].Trim(), start));
        }

        var globalArgs = new Dictionary<string, string>();
        var stages = new List<DockerStage>();
        List<DockerInstruction>? current = null;
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                var words = instruction.Operands;
                var from = Expand(words[0], globalArgs);
                var name = words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : stages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                current = [];
                stages.Add(new DockerStage(name, from, current));
            }
            else if (current is null)
            {
                if (instruction.Keyword == "ARG")
                {
                    var parts = instruction.Arguments.Split('=', 2);
                    globalArgs[parts[0]] = parts.Length > 1 ? parts[1] : "";
                }
            }
            else
            {
                current.Add(instruction);
            }
        }

        return new Dockerfile(globalArgs, stages);
    }

    public DockerStage Stage(string name) => Stages.Single(s => s.Name == name);

    public bool IsStage(string name) => Stages.Any(s => s.Name == name);

    /// <summary>The stage and the stages it is built FROM, nearest first.</summary>
    public IReadOnlyList<DockerStage> Chain(string name)
    {
        var chain = new List<DockerStage>();
        var stage = Stage(name);
        while (true)
        {
            chain.Add(stage);
            if (!IsStage(stage.From))
            {
                return chain;
            }

            stage = Stage(stage.From);
        }
    }

    /// <summary>The user a target runs as: the last USER along its chain, or null (root).</summary>
    public string? UserOf(string name)
        => Chain(name).Select(s => s.All("USER").LastOrDefault()).FirstOrDefault(u => u is not null)?.Arguments.Split(':')[0];

    public DockerInstruction? Last(string name, string keyword)
        => Chain(name).Select(s => s.All(keyword).LastOrDefault()).FirstOrDefault(i => i is not null);

    /// <summary>The final image a target is based on (the first FROM that is not a stage).</summary>
    public string BaseImageOf(string name) => Chain(name)[^1].From;

    public static string Expand(string text, IReadOnlyDictionary<string, string> args)
        => VariablePattern().Replace(text, m => args.TryGetValue(m.Groups[1].Value, out var v) ? v : m.Value);

    [GeneratedRegex(@"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")]
    private static partial Regex VariablePattern();
}
