using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Botburrow.Agents.DevHub.Storage;

/// <summary>
/// Finds agents in a definitions folder: every <c>agents/&lt;name&gt;/config.yaml</c> (or <c>&lt;name&gt;/config.yaml</c>
/// when the folder is the agents folder itself). The display name is read from a top-level <c>display_name:</c> line.
/// </summary>
internal static partial class AgentDirectory
{
    public static IEnumerable<(string Name, string? DisplayName)> Read(string directory, ILogger logger)
    {
        var root = Directory.Exists(Path.Combine(directory, "agents")) ? Path.Combine(directory, "agents") : directory;
        if (!Directory.Exists(root))
        {
            DevHubLog.AgentsDirectoryMissing(logger, directory);
            yield break;
        }

        foreach (var folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var config = Path.Combine(folder, "config.yaml");
            if (!File.Exists(config))
            {
                continue;
            }

            var name = Path.GetFileName(folder);
            if (!Validation.IsAgentName(name))
            {
                DevHubLog.AgentNameInvalid(logger, name);
                continue;
            }

            string? displayName = null;
            foreach (var line in File.ReadLines(config))
            {
                var match = DisplayNameLine().Match(line);
                if (match.Success)
                {
                    displayName = match.Groups[1].Value.Trim().Trim('"', '\'');
                    break;
                }
            }

            yield return (name, string.IsNullOrWhiteSpace(displayName) ? null : displayName);
        }
    }

    [GeneratedRegex(@"^display_name:\s*(.+?)\s*(#.*)?$")]
    private static partial Regex DisplayNameLine();
}
