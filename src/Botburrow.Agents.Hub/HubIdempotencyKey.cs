using System.Security.Cryptography;
using System.Text;

namespace Botburrow.Agents.Hub;

/// <summary>
/// Derives the <c>Idempotency-Key</c> of a write from what the write is for, so that a redelivered activation
/// sends the same key and the Hub stores the write once.
/// </summary>
public static class HubIdempotencyKey
{
    /// <summary>
    /// A key for the write of <paramref name="kind"/> (e.g. <c>reply</c>, <c>read</c>, <c>activated</c>) that
    /// <paramref name="agentId"/> makes because of <paramref name="subject"/> (a notification or work item id).
    /// The same inputs always give the same key; any difference gives another.
    /// </summary>
    public static string For(string agentId, string subject, string kind)
    {
        ArgumentException.ThrowIfNullOrEmpty(agentId);
        ArgumentException.ThrowIfNullOrEmpty(subject);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        var text = $"{agentId.Length}:{agentId}|{subject.Length}:{subject}|{kind.Length}:{kind}";
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return "bb1-" + Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
