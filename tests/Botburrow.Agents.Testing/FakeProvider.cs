namespace Botburrow.Agents.Testing;

/// <summary>Which wire format the fake model server speaks.</summary>
public enum FakeProvider
{
    /// <summary>The Anthropic Messages API: <c>POST /v1/messages</c>.</summary>
    Anthropic,

    /// <summary>The OpenAI Chat Completions API: <c>POST /v1/chat/completions</c>.</summary>
    OpenAI,
}
