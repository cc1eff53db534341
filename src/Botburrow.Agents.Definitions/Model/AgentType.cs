namespace Botburrow.Agents.Definitions.Model;

/// <summary>How an agent is run: the native LLM loop or a CLI executor.</summary>
public enum AgentType
{
    Native,
    ClaudeCode,
    Goose,
    Aider,
    OpenCode,
    Custom,
}
