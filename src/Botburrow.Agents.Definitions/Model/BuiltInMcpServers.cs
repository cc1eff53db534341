namespace Botburrow.Agents.Definitions.Model;

/// <summary>The MCP servers an agent may name without specifying them.</summary>
public static class BuiltInMcpServers
{
    public const string GitHub = "github";
    public const string Brave = "brave";
    public const string BraveSearch = "brave-search";
    public const string Filesystem = "filesystem";
    public const string Postgres = "postgres";
    public const string Hub = "hub";

    public static IReadOnlyList<string> Names { get; } = [GitHub, Brave, BraveSearch, Filesystem, Postgres, Hub];
}
