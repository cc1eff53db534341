using System.CommandLine;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Definitions.Sources;
using Botburrow.Agents.Grants;
using Botburrow.Agents.Mcp.Catalog;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Botburrow.Cli.Commands;

/// <summary>
/// <c>botburrow agents grants NAME [--permissions FILE]</c>: the agent's declared grants, what the permissions
/// policy allows and denies, the effective grants and why each grant is in or out, and which MCP servers and
/// tools follow from them.
/// </summary>
internal sealed class AgentGrantsCommand : Command
{
    private readonly Argument<string> _name = new("NAME") { Description = "The agent." };

    private readonly Option<string?> _permissions = new("--permissions") { Description = $"Permissions policy file (default: {SettingNames.AgentPermissionsPath})." };

    public AgentGrantsCommand()
        : base("grants", "Explain an agent's grants: declared, allowed and denied by the permissions policy, effective, and why.")
    {
        Arguments.Add(_name);
        Options.Add(_permissions);
        SetAction((parseResult, cancellationToken) => CliContext.RunAsync(
            parseResult,
            CliContext.Flags(parseResult, (SettingNames.AgentPermissionsPath, _permissions)),
            RunAsync,
            cancellationToken));
    }

    private async Task<int> RunAsync(CliContext context, CancellationToken cancellationToken)
    {
        var name = context.ParseResult.GetValue(_name)!;
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddBotburrowLogging(context.Settings));
        services.AddAgentDefinitions(context.Settings);
        await using var provider = services.BuildServiceProvider();

        AgentDefinition agent;
        try
        {
            agent = await provider.GetRequiredService<IAgentDefinitionSource>().GetAsync(name, cancellationToken);
        }
        catch (Exception ex) when (ex is AgentConfigNotFoundException or AgentDefinitionException or AgentDefinitionSourceException)
        {
            await context.Error.WriteLineAsync(ex.Message.AsMemory(), cancellationToken);
            return ExitCodes.Failure;
        }

        EffectiveGrants grants;
        try
        {
            grants = new PermissionsPolicySource(context.Settings.AgentPermissionsPath).Evaluate(agent.Name, agent.Capabilities.Grants);
        }
        catch (PermissionsPolicyException ex)
        {
            await context.Error.WriteLineAsync(ex.Message.AsMemory(), cancellationToken);
            return ExitCodes.UsageError;
        }

        foreach (var line in Explain(agent, grants))
        {
            await context.Out.WriteLineAsync(line.AsMemory(), cancellationToken);
        }

        return ExitCodes.Ok;
    }

    internal static IEnumerable<string> Explain(AgentDefinition agent, EffectiveGrants grants)
    {
        yield return $"Agent:     {agent.Name}";
        yield return $"Policy:    {grants.Origin}";
        yield return $"Declared:  {List(grants.Declared)}";
        yield return $"Allowed:   {List(grants.Rule.Allowed.Select(g => g.ToString()))}";
        yield return $"Denied:    {List(grants.Rule.Denied.Select(g => g.ToString()))}";
        yield return $"Effective: {List(grants.Granted.Select(g => g.ToString()))}";
        if (grants.Decisions.Count > 0)
        {
            yield return "";
            yield return "Why:";
            var width = grants.Decisions.Max(d => d.Declared.Length);
            foreach (var decision in grants.Decisions)
            {
                yield return $"  {decision.Declared.PadRight(width)}  {decision.Reason}";
            }
        }

        yield return "";
        yield return "Tools:";
        var cli = agent.Type is not AgentType.Native and not AgentType.Custom;
        var hub = cli ? "hub (runner endpoint)" : "hub (in-process)";
        yield return grants.Holds("hub:read")
            ? $"  {hub}  hub_search, hub_get_thread, hub_get_notifications{(grants.Holds("hub:write") ? ", hub_post" : "; no hub_post: " + grants.Explain(Grant.Parse("hub:write")))}"
            : $"  {hub}  none: {grants.Explain(Grant.Parse("hub:read"))}";
        foreach (var server in agent.Capabilities.McpServers.Where(s => !(cli && s.IsBuiltIn && McpCatalog.Find(s.Name) == McpCatalog.Hub)))
        {
            yield return "  " + DescribeServer(server, grants);
        }

        if (cli)
        {
            yield return "  " + DescribeOwnTools(agent, grants);
        }
    }

    /// <summary>What a CLI tool's own tools may do for the agent (docs/executors.md).</summary>
    private static string DescribeOwnTools(AgentDefinition agent, EffectiveGrants grants)
    {
        var permissions = Botburrow.Agents.Runner.Execution.Cli.CliPermissions.For(agent, grants);
        var read = permissions.ReadFiles ? "read files" : "no file reading (" + grants.Explain(Grant.Parse("filesystem:read")) + ")";
        var write = permissions.WriteFiles ? "write files" : "no file writing (" + grants.Explain(Grant.Parse("filesystem:write")) + ")";
        var shell = !permissions.Shell ? "no shell (capabilities.shell.enabled is false)"
            : permissions.ShellCommands.Count == 0 ? "shell: any command"
            : "shell: " + string.Join(", ", permissions.ShellCommands);
        return $"{agent.Type.ToYaml()} (own tools)  {read}; {write}; {shell}; never web fetch or search";
    }

    private static string DescribeServer(McpServerReference server, EffectiveGrants grants)
    {
        if (!server.IsBuiltIn)
        {
            return $"{server.Name} (custom {(server.Url is null ? "stdio" : "http")})  starts with only its own env; all its tools";
        }

        var builtIn = McpCatalog.Find(server.Name);
        if (builtIn is null)
        {
            return $"{server.Name}  not a built-in server";
        }

        if (builtIn == McpCatalog.Hub)
        {
            return $"{server.Name} (MCP)  native agents use the in-process Hub tools above; CLI agents reach them at the runner's Hub endpoint";
        }

        if (!grants.Holds(builtIn.ReadGrant))
        {
            return $"{builtIn.Name}  not started: {grants.Explain(Grant.Parse(builtIn.ReadGrant))}";
        }

        var credentials = builtIn.Credentials.Count == 0 ? "no credential" : string.Join(", ", builtIn.Credentials.Select(c => c.Setting == c.Target ? c.Setting : $"{c.Target} <- {c.Setting}"));
        var write = builtIn.WriteGrant is null || builtIn.WriteTools.Count == 0 ? ""
            : grants.Holds(builtIn.WriteGrant) ? "; write tools included"
            : $"; write tools hidden ({grants.Explain(Grant.Parse(builtIn.WriteGrant))})";
        return $"{builtIn.Name}  starts ({grants.Explain(Grant.Parse(builtIn.ReadGrant))}); receives {credentials}{write}";
    }

    private static string List(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? "(none)" : string.Join(", ", list);
    }
}
