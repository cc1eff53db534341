namespace Botburrow.Agents.DevHub.Storage;

/// <summary>The stored answer of a write: replayed as is for a repeated <c>Idempotency-Key</c>.</summary>
internal sealed record WriteOutcome(int Status, string Body, bool Replayed = false);
