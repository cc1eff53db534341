namespace Botburrow.Agents.Memory;

/// <summary>What a memory is about; each kind is switched on by its own <c>memory.remember</c> entry.</summary>
public enum MemoryKind
{
    /// <summary>An exchange with a person or agent listed in <c>memory.remember.conversations_with</c>.</summary>
    Conversation,

    /// <summary>A project the agent worked on (<c>projects_worked_on</c>).</summary>
    Project,

    /// <summary>A decision the agent made (<c>decisions_made</c>).</summary>
    Decision,

    /// <summary>A reply to one of the agent's own posts (<c>feedback_received</c>).</summary>
    Feedback,
}
