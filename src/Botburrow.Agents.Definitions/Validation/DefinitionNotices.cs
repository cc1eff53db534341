using Botburrow.Agents.Definitions.Model;

namespace Botburrow.Agents.Definitions.Validation;

/// <summary>
/// What a valid definition will not do as written, said once when it is loaded (logged as
/// <c>definition_notice</c>, and printed by <c>botburrow agents validate</c>) rather than discovered at run time.
/// </summary>
public static class DefinitionNotices
{
    public static IReadOnlyList<string> For(AgentDefinition agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var notices = new List<string>();
        var memory = agent.Memory;
        if (memory.Enabled && memory.Retrieval.Strategy == "embedding_search" && !MemoryRetrieval.HasEmbeddings(agent.Brain.Provider))
        {
            notices.Add($"memory.retrieval.strategy: provider {agent.Brain.Provider.ToYaml()} has no embeddings API, so agent '{agent.Name}' recalls memories by keyword instead of embedding_search");
        }

        if (!memory.Enabled && (memory.Remember.ConversationsWith.Count > 0 || memory.Remember.ProjectsWorkedOn || memory.Remember.DecisionsMade || memory.Remember.FeedbackReceived))
        {
            notices.Add($"memory.remember: memory.enabled is false, so agent '{agent.Name}' remembers nothing");
        }

        if (memory.Enabled && memory.Remember.ConversationsWith.Count == 0 && !memory.Remember.ProjectsWorkedOn && !memory.Remember.DecisionsMade && !memory.Remember.FeedbackReceived)
        {
            notices.Add($"memory.remember: nothing is listed, so agent '{agent.Name}' remembers nothing (list conversations_with or switch on projects_worked_on, decisions_made or feedback_received)");
        }

        if (agent.Capabilities.Spawning.CanPropose && agent.Capabilities.Spawning.AllowedTemplates.Count == 0)
        {
            notices.Add($"capabilities.spawning.allowed_templates: empty, so every proposal of agent '{agent.Name}' is refused");
        }

        return notices;
    }
}
