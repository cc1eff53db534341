namespace Botburrow.Agents.Doctor;

/// <summary>What a provider said of a key.</summary>
public enum LlmKeyState
{
    /// <summary>An authenticated call answered 2xx.</summary>
    Accepted,

    /// <summary>401 or 403: the key is wrong, revoked or not allowed.</summary>
    Rejected,

    /// <summary>The provider could not be reached (connection, proxy, timeout).</summary>
    Unreachable,

    /// <summary>The provider answered something else (a local server without a models endpoint).</summary>
    Unknown,
}
