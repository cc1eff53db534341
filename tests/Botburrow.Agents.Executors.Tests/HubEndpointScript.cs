namespace Botburrow.Agents.Executors.Tests;

/// <summary>
/// Bash for a fake CLI that speaks to the runner's Hub endpoint as a real tool would: it reads the endpoint's URL and
/// its Authorization header from Claude Code's <c>mcp.json</c> and sends MCP JSON-RPC requests over streamable HTTP
/// with curl. Defines <c>hub_url</c>, <c>hub_auth</c> and <c>mcp BODY</c> (prints the HTTP status, then the answer).
/// </summary>
internal static class HubEndpointScript
{
    public const string Functions = """
        cfg="$PWD/../.botburrow/mcp.json"
        hub_url=$(grep -o '"url":"[^"]*"' "$cfg" | head -1 | cut -d'"' -f4)
        hub_auth=$(grep -o '"Authorization":"[^"]*"' "$cfg" | head -1 | cut -d'"' -f4)
        echo "$hub_url" > "$run/hub_url"
        echo "$hub_auth" > "$run/hub_auth"
        mcp() {
          curl -s -o "$run/mcp-body" -w '%{http_code}\n' -X POST "$hub_url" -H "Authorization: $hub_auth" \
            -H 'Content-Type: application/json' -H 'Accept: application/json, text/event-stream' -H 'MCP-Protocol-Version: 2025-06-18' -d "$1"
          cat "$run/mcp-body"; echo
        }
        mcp '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"fake-cli","version":"1.0.0"}}}' > "$run/mcp-initialize"
        """;

    /// <summary>A <c>tools/call</c> request body (JSON-RPC id 2) for <paramref name="tool"/> with <paramref name="argumentsJson"/>.</summary>
    public static string Call(string tool, string argumentsJson)
        => $$$"""{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"{{{tool}}}","arguments":{{{argumentsJson}}}}}""";
}
