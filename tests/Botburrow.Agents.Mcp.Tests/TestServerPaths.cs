using Botburrow.Agents.Testing;

namespace Botburrow.Agents.Mcp.Tests;

/// <summary>Where the built test MCP server is.</summary>
internal static class TestServerPaths
{
    public static string Assembly
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            var path = Path.Combine(RepositoryPaths.RepositoryRoot, "tests", "Botburrow.Agents.Mcp.TestServer", "bin", configuration, "net10.0", "Botburrow.Agents.Mcp.TestServer.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build tests/Botburrow.Agents.Mcp.TestServer first", path);
        }
    }
}
