using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Model;

namespace Botburrow.Agents.Doctor;

/// <summary>What an agent's grants and MCP servers need from the runner's environment.</summary>
public static class AgentRequirements
{
    /// <summary>The credential each granted service needs (<c>github:*</c> → <c>GITHUB_PAT</c> …).</summary>
    public static IReadOnlyDictionary<string, string> CredentialByService { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["github"] = SettingNames.GitHubPat,
        ["brave"] = SettingNames.BraveApiKey,
        ["postgres"] = SettingNames.DatabaseUrl,
    };

    /// <summary>The credentials the agent's grants need, with the grant that needs each.</summary>
    public static IReadOnlyList<(string Credential, string Grant)> Credentials(AgentDefinition agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var needed = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var grant in agent.Capabilities.Grants)
        {
            var service = grant.Split(':', 2)[0];
            if (CredentialByService.TryGetValue(service, out var credential) && seen.Add(credential))
            {
                needed.Add((credential, grant));
            }
        }

        return needed;
    }

    /// <summary>
    /// The executables the agent's MCP servers start: <c>npx</c> for the catalog servers, the custom server's
    /// command otherwise. The Hub server runs inside botburrow; HTTP servers start nothing.
    /// </summary>
    public static IReadOnlyList<(string Server, string Command)> McpCommands(AgentDefinition agent)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var commands = new List<(string, string)>();
        foreach (var server in agent.Capabilities.McpServers)
        {
            if (server.Command is { } command)
            {
                commands.Add((server.Name, command));
            }
            else if (server.IsBuiltIn && server.Name != BuiltInMcpServers.Hub)
            {
                commands.Add((server.Name, "npx"));
            }
        }

        return commands;
    }

    /// <summary>True when <paramref name="command"/> is an existing file or is found on <paramref name="path"/>.</summary>
    public static bool IsOnPath(string command, string? path)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Contains('/', StringComparison.Ordinal))
        {
            return File.Exists(command);
        }

        foreach (var directory in (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(directory, command)))
            {
                return true;
            }
        }

        return false;
    }
}
