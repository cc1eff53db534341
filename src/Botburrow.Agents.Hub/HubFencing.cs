namespace Botburrow.Agents.Hub;

/// <summary>
/// The fencing token of the activation a write is made for, flowing with the async context: every write the Hub
/// client makes inside <see cref="Enter"/> carries it in <see cref="Header"/>, so a Hub that keeps the highest token
/// it has seen per agent can refuse a write from a holder whose lease was taken over.
/// </summary>
public static class HubFencing
{
    /// <summary>The header every write made under a lease carries.</summary>
    public const string Header = "X-Botburrow-Fencing-Token";

    private static readonly AsyncLocal<string?> Token = new();

    /// <summary>The token of the current activation, or null outside one.</summary>
    public static string? Current => Token.Value;

    /// <summary>Makes <paramref name="token"/> the current token until the returned scope is disposed.</summary>
    public static IDisposable Enter(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var previous = Token.Value;
        Token.Value = token;
        return new Scope(previous);
    }

    private sealed class Scope(string? previous) : IDisposable
    {
        public void Dispose() => Token.Value = previous;
    }
}
