namespace Botburrow.Agents.Work;

/// <summary>Which task types a runner claims.</summary>
public enum RunnerMode
{
    /// <summary>INBOX work: the high queue, then normal.</summary>
    Notification,

    /// <summary>DISCOVERY work: the low queue.</summary>
    Exploration,

    /// <summary>All three queues in priority order, with low guaranteed a share.</summary>
    Hybrid,
}
