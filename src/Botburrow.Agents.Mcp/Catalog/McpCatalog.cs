using Botburrow.Agents.Configuration;

namespace Botburrow.Agents.Mcp.Catalog;

/// <summary>
/// The built-in MCP servers an agent may name in <c>capabilities.mcp_servers</c>, with the real npm packages,
/// the grants they need and the one credential each receives.
/// </summary>
public static class McpCatalog
{
    public const string GitHubPackage = "@modelcontextprotocol/server-github";
    public const string BravePackage = "@modelcontextprotocol/server-brave-search";
    public const string FilesystemPackage = "@modelcontextprotocol/server-filesystem";
    public const string PostgresPackage = "@modelcontextprotocol/server-postgres";

    /// <summary>Environment variables of <c>botburrow mcp hub</c> naming the agent, its grants and the activation.</summary>
    public const string AgentVariable = "BOTBURROW_AGENT";
    public const string GrantsVariable = "BOTBURROW_GRANTS";
    public const string ActivationVariable = "BOTBURROW_ACTIVATION_ID";

    public static BuiltInServer GitHub { get; } = new()
    {
        Name = "github",
        CommandLine = (_, _) => ["npx", "-y", GitHubPackage],
        ReadGrant = "github:read",
        WriteGrant = "github:write",
        WriteTools = Set(
            "create_or_update_file", "push_files", "create_repository", "create_issue", "create_pull_request", "fork_repository",
            "create_branch", "update_issue", "add_issue_comment", "merge_pull_request", "create_pull_request_review",
            "update_pull_request_branch"),
        Credentials = [new CredentialMapping(SettingNames.GitHubPat, "GITHUB_PERSONAL_ACCESS_TOKEN")],
    };

    public static BuiltInServer BraveSearch { get; } = new()
    {
        Name = "brave-search",
        Aliases = ["brave"],
        CommandLine = (_, _) => ["npx", "-y", BravePackage],
        ReadGrant = "brave:search",
        Credentials = [new CredentialMapping(SettingNames.BraveApiKey, "BRAVE_API_KEY")],
    };

    public static BuiltInServer Filesystem { get; } = new()
    {
        Name = "filesystem",
        CommandLine = (context, _) => ["npx", "-y", FilesystemPackage, context.WorkspaceDirectory],
        ReadGrant = "filesystem:read",
        WriteGrant = "filesystem:write",
        WriteTools = Set("write_file", "edit_file", "create_directory", "move_file"),
    };

    /// <summary>
    /// Starts the postgres package's program inside the node process of <see cref="PostgresLauncher"/>, which hands it
    /// <c>DATABASE_URL</c> from the environment as the argument it expects: the URL never appears on a command line
    /// (<c>ps</c>, <c>/proc/PID/cmdline</c>).
    /// </summary>
    public static BuiltInServer Postgres { get; } = new()
    {
        Name = "postgres",
        CommandLine = (_, _) => ["npx", "-y", "-p", PostgresPackage, "node", "-e", PostgresLauncher],
        ReadGrant = "postgres:read",
        WriteGrant = "postgres:write",
        Credentials = [new CredentialMapping(SettingNames.DatabaseUrl, "DATABASE_URL")],
    };

    /// <summary>
    /// The node script that runs the postgres package's program (found on the PATH <c>npx -p</c> gives) with
    /// <c>DATABASE_URL</c> as its argument, set in <c>process.argv</c> rather than on the command line.
    /// </summary>
    public const string PostgresLauncher =
        "const fs=require('node:fs'),path=require('node:path'),url=require('node:url');"
        + "const bin=(process.env.PATH||'').split(path.delimiter).map(d=>path.join(d,'mcp-server-postgres')).find(f=>fs.existsSync(f));"
        + "if(!bin){console.error('mcp-server-postgres not found on PATH');process.exit(1);}"
        + "const main=fs.realpathSync(bin);"
        + "process.argv=[process.argv[0],main,process.env.DATABASE_URL||''];"
        + "import(url.pathToFileURL(main).href).catch(e=>{console.error(e);process.exit(1);});";

    /// <summary>
    /// The Hub tools. The runner never starts this server from the catalog and never hands it a Hub key: native
    /// agents hold the tools in-process and CLI tools reach them at the runner's Hub endpoint
    /// (<see cref="Hub.HubGateway"/>). The command is the standalone <c>botburrow mcp hub</c> a person may run with a
    /// key of their own.
    /// </summary>
    public static BuiltInServer Hub { get; } = new()
    {
        Name = "hub",
        CommandLine = (_, options) => [.. options.BotburrowCommand, "mcp", "hub"],
        ReadGrant = "hub:read",
        WriteGrant = "hub:write",
        WriteTools = Set("hub_post"),
    };

    public static IReadOnlyList<BuiltInServer> All { get; } = [GitHub, BraveSearch, Filesystem, Postgres, Hub];

    /// <summary>Finds a built-in server by name or alias.</summary>
    public static BuiltInServer? Find(string name)
        => All.FirstOrDefault(s => s.Name.Equals(name, StringComparison.Ordinal) || s.Aliases.Contains(name, StringComparer.Ordinal));

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);
}
