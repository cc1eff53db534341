using Botburrow.Agents.Grants;
using ModelContextProtocol.Server;

namespace Botburrow.Agents.Mcp.Hub;

/// <summary>
/// One CLI activation's access to the runner's Hub endpoint: a random 256-bit bearer token bound to the agent, the
/// activation and its effective hub grants. The endpoint serves this agent's Hub tools only (no <c>hub_post</c>
/// without <c>hub:write</c>), each post is counted in <see cref="Writes"/>, and disposing it revokes the token: the
/// endpoint answers 401 from then on and a post still in flight is refused.
/// </summary>
public sealed class HubCapability : IDisposable
{
    private readonly HubGateway _gateway;
    private int _revoked;

    internal HubCapability(HubGateway gateway, string agent, string activationId, EffectiveGrants grants, string token, byte[] tokenHash, Uri endpoint)
    {
        _gateway = gateway;
        Agent = agent;
        ActivationId = activationId;
        Grants = grants;
        Token = token;
        TokenHash = tokenHash;
        Endpoint = endpoint;
    }

    public string Agent { get; }

    public string ActivationId { get; }

    public EffectiveGrants Grants { get; }

    /// <summary>The endpoint the token is valid at (loopback).</summary>
    public Uri Endpoint { get; }

    /// <summary>The posts made through the endpoint with this token.</summary>
    public HubWriteLog Writes { get; } = new();

    /// <summary>True once the activation ended (the token is no longer accepted).</summary>
    public bool IsRevoked => Volatile.Read(ref _revoked) != 0;

    /// <summary>The value of the <c>Authorization</c> header the CLI tool sends (written into its MCP configuration only).</summary>
    public string AuthorizationHeader => "Bearer " + Token;

    internal string Token { get; }

    internal byte[] TokenHash { get; }

    /// <summary>The Hub tools this token reaches, set once when it is issued.</summary>
    internal McpServerPrimitiveCollection<McpServerTool> Tools { get; } = new();

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _revoked, 1) == 0)
        {
            _gateway.Revoke(this);
        }
    }
}
