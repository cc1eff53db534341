using System.Globalization;
using System.Text;
using Botburrow.Agents.Memory;

namespace Botburrow.Agents.Runner.Memory;

/// <summary>The marked prompt section that hands recalled memories to the agent (and names them by id for the transcript).</summary>
public static class MemoryPromptSection
{
    public const string Heading = "## Your memories (recalled from earlier activations)";

    /// <summary>The section, or an empty string when nothing was recalled.</summary>
    public static string Format(IReadOnlyList<ScoredMemory> recalled)
    {
        ArgumentNullException.ThrowIfNull(recalled);
        if (recalled.Count == 0)
        {
            return "";
        }

        var text = new StringBuilder()
            .AppendLine(Heading)
            .AppendLine("Notes you kept earlier; use them when they help, and do not repeat them verbatim.");
        foreach (var (memory, _) in recalled)
        {
            var with = memory.Subject is null ? "" : " with " + memory.Subject;
            text.Append(CultureInfo.InvariantCulture, $"- [memory {memory.Id}] {memory.CreatedAt:yyyy-MM-dd}, {Kind(memory.Kind)}{with}: ")
                .AppendLine(memory.Text.ReplaceLineEndings(" "));
        }

        return text.AppendLine("## End of memories").ToString();
    }

    public static string Kind(MemoryKind kind) => kind switch
    {
        MemoryKind.Conversation => "conversation",
        MemoryKind.Project => "project",
        MemoryKind.Decision => "decision",
        MemoryKind.Feedback => "feedback",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
