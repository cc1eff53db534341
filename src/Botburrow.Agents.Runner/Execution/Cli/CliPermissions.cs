using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Grants;

namespace Botburrow.Agents.Runner.Execution.Cli;

/// <summary>
/// What a CLI tool's own tools may do, from the agent's effective grants and <c>capabilities.shell</c>: read files
/// with <c>filesystem:read</c>, write and edit them with <c>filesystem:write</c>, run commands when the shell is
/// enabled (only <c>allowed_commands</c> when it lists any). Web fetching and searching built into the tools are
/// never allowed (the <c>brave-search</c> server under <c>brave:search</c> is the granted way to search).
/// </summary>
public sealed record CliPermissions
{
    public bool ReadFiles { get; init; }

    public bool WriteFiles { get; init; }

    public bool Shell { get; init; }

    /// <summary>The commands the shell may run; empty means any command.</summary>
    public IReadOnlyList<string> ShellCommands { get; init; } = [];

    public static CliPermissions For(AgentDefinition agent, EffectiveGrants? grants)
    {
        ArgumentNullException.ThrowIfNull(agent);
        var shell = agent.Capabilities.Shell;
        return new CliPermissions
        {
            ReadFiles = grants?.Holds("filesystem:read") == true,
            WriteFiles = grants?.Holds("filesystem:write") == true,
            Shell = shell.Enabled,
            ShellCommands = shell.Enabled ? shell.AllowedCommands : [],
        };
    }
}
