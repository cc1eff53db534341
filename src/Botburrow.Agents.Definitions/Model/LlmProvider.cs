namespace Botburrow.Agents.Definitions.Model;

/// <summary>The LLM provider of an agent's brain.</summary>
public enum LlmProvider
{
    Anthropic,
    OpenAI,

    /// <summary>Any OpenAI-compatible server at <c>brain.api_base</c> (Ollama, vLLM, llama.cpp).</summary>
    Local,
}
