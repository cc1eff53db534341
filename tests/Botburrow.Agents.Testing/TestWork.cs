using Botburrow.Agents.Work;

namespace Botburrow.Agents.Testing;

/// <summary>Work items as a runner holds them after a claim, for driving the activation pipeline directly.</summary>
public static class TestWork
{
    /// <summary>A fresh claim of <paramref name="task"/> work for <paramref name="agentId"/> (high priority for INBOX, low for DISCOVERY).</summary>
    public static ClaimedWork Claimed(string agentId, TaskType task, string activationId)
    {
        var now = TimeProvider.System.GetUtcNow();
        return new ClaimedWork
        {
            ActivationId = activationId,
            RunnerId = "test-runner",
            ClaimedAt = now,
            LeaseExpiresAt = now.AddMinutes(5),
            Item = new WorkItem { AgentId = agentId, TaskType = task, Priority = task == TaskType.Inbox ? WorkPriority.High : WorkPriority.Low, CreatedAt = now },
        };
    }
}
