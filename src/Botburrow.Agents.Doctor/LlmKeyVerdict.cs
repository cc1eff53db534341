namespace Botburrow.Agents.Doctor;

/// <summary>A provider's verdict on a key, with what was seen (the call and its answer; never the key).</summary>
public sealed record LlmKeyVerdict(LlmKeyState State, string Seen);
