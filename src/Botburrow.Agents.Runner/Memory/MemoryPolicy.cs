using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Memory;

namespace Botburrow.Agents.Runner.Memory;

/// <summary>What an agent keeps, by its <c>memory</c> section: nothing unless <c>enabled</c>, then each kind by its <c>remember</c> entry.</summary>
public static class MemoryPolicy
{
    /// <summary>
    /// Whether a memory of <paramref name="kind"/> with <paramref name="subject"/> is kept: a conversation only when
    /// the other side is listed in <c>conversations_with</c> (names compared without case and without a leading
    /// <c>@</c>); projects, decisions and feedback when their switch is on.
    /// </summary>
    public static bool ShouldRemember(MemoryConfig memory, MemoryKind kind, string? subject)
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (!memory.Enabled)
        {
            return false;
        }

        return kind switch
        {
            MemoryKind.Conversation => subject is not null && memory.Remember.ConversationsWith.Any(n => SameName(n, subject)),
            MemoryKind.Project => memory.Remember.ProjectsWorkedOn,
            MemoryKind.Decision => memory.Remember.DecisionsMade,
            MemoryKind.Feedback => memory.Remember.FeedbackReceived,
            _ => false,
        };
    }

    /// <summary><c>max_size_mb</c> in bytes.</summary>
    public static long MaxBytes(MemoryConfig memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        return memory.MaxSizeMb * 1024L * 1024L;
    }

    private static bool SameName(string listed, string subject)
        => string.Equals(listed.TrimStart('@'), subject.TrimStart('@'), StringComparison.OrdinalIgnoreCase);
}
