namespace Botburrow.Agents.Runner.Activation;

/// <summary>What one activation did so far: counts and conversations for its report and transcript.</summary>
internal sealed class ActivationTally
{
    public List<Execution.ConversationRecorder> Conversations { get; } = [];

    public int NotificationsProcessed { get; set; }

    public int Replies { get; set; }

    public int Posts { get; set; }

    public int Skipped { get; set; }

    /// <summary>The post failure when an answer could not be published for lack of <c>hub:write</c>, else <see langword="null"/>.</summary>
    public string? PublishRefused { get; set; }
}
