using System.CommandLine;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Grants;
using Botburrow.Agents.Mcp.Catalog;
using Botburrow.Agents.Mcp.Filter;
using Botburrow.Agents.Mcp.Hub;
using Microsoft.Extensions.Logging;

namespace Botburrow.Cli.Commands;

/// <summary>
/// <c>botburrow mcp hub [--agent NAME] [--grants LIST] [--activation ID]</c>: the Hub MCP server on stdio, acting
/// as one agent under its grants (and the permissions policy, when one is configured).
/// <c>botburrow mcp filter --hide TOOLS [--grant G] -- COMMAND…</c>: another stdio server with some tools hidden.
/// </summary>
internal sealed class McpCommand : Command
{
    private readonly Option<string?> _agent = new("--agent") { Description = $"The agent the server acts as (default: {McpCatalog.AgentVariable})." };

    private readonly Option<string?> _grants = new("--grants") { Description = $"The agent's grants, comma-separated, e.g. hub:read,hub:write (default: {McpCatalog.GrantsVariable}). hub_post needs hub:write." };

    private readonly Option<string?> _activation = new("--activation") { Description = $"The activation the writes belong to, part of their idempotency keys (default: {McpCatalog.ActivationVariable})." };

    private readonly Option<string> _hide = new("--hide") { Description = "The tools to hide, comma-separated (e.g. create_issue,push_files).", Required = true };

    private readonly Option<string?> _missingGrant = new("--grant") { Description = "The grant whose absence hides them, named when a hidden tool is called." };

    private readonly Argument<string[]> _upstream = new("command") { Description = "The MCP server to put the filter in front of: its command line, after --.", Arity = ArgumentArity.OneOrMore };

    public McpCommand()
        : base("mcp", "MCP servers of Botburrow.")
    {
        var hub = new Command("hub", "The Hub MCP server over stdio: hub_search, hub_get_thread, hub_get_notifications and, with hub:write, hub_post. Logs go to stderr.")
        {
            _agent,
            _grants,
            _activation,
        };
        hub.SetAction((parseResult, cancellationToken) => CliContext.RunAsync(parseResult, null, RunHubAsync, cancellationToken));
        Subcommands.Add(hub);

        var filter = new Command("filter", "An MCP server on stdio in front of another stdio server, hiding some of its tools (for CLI tools that cannot refuse single tools). Logs go to stderr.")
        {
            _hide,
            _missingGrant,
            _upstream,
        };
        filter.SetAction((parseResult, cancellationToken) => CliContext.RunAsync(parseResult, null, RunFilterAsync, cancellationToken));
        Subcommands.Add(filter);
    }

    private async Task<int> RunFilterAsync(CliContext context, CancellationToken cancellationToken)
    {
        var hidden = context.ParseResult.GetValue(_hide)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var command = context.ParseResult.GetValue(_upstream)!;
        try
        {
            await McpToolFilter.RunAsync(command, hidden, context.ParseResult.GetValue(_missingGrant), logging => logging.AddBotburrowLogging(context.Settings), cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            await context.Error.WriteLineAsync($"botburrow mcp filter: the MCP server '{command[0]}' could not be started: {ex.Message}".AsMemory(), cancellationToken);
            return ExitCodes.Failure;
        }

        return ExitCodes.Ok;
    }

    private async Task<int> RunHubAsync(CliContext context, CancellationToken cancellationToken)
    {
        var settings = context.Settings;
        settings.Require(SettingNames.HubUrl, "mcp hub");
        var agent = context.ParseResult.GetValue(_agent) ?? Env(settings, McpCatalog.AgentVariable);
        if (string.IsNullOrWhiteSpace(agent))
        {
            await context.Error.WriteLineAsync($"botburrow mcp hub needs the agent it acts as: --agent NAME or {McpCatalog.AgentVariable}".AsMemory(), cancellationToken);
            return ExitCodes.UsageError;
        }

        var grantText = context.ParseResult.GetValue(_grants) ?? Env(settings, McpCatalog.GrantsVariable) ?? "";
        var declared = grantText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var grant in declared)
        {
            if (!Grant.TryParse(grant, out _, out var error))
            {
                await context.Error.WriteLineAsync($"--grants: {error}".AsMemory(), cancellationToken);
                return ExitCodes.UsageError;
            }
        }

        EffectiveGrants grants;
        try
        {
            grants = new PermissionsPolicySource(settings.AgentPermissionsPath).Evaluate(agent, declared);
        }
        catch (PermissionsPolicyException ex)
        {
            await context.Error.WriteLineAsync(ex.Message.AsMemory(), cancellationToken);
            return ExitCodes.UsageError;
        }

        await HubMcpServer.RunAsync(
            new HubMcpServerOptions
            {
                HubUrl = settings.HubUrl!,
                HubApiKey = settings.HubApiKey,
                Agent = agent,
                Grants = grants,
                ActivationId = context.ParseResult.GetValue(_activation) ?? Env(settings, McpCatalog.ActivationVariable),
            },
            logging => logging.AddBotburrowLogging(settings),
            cancellationToken);
        return ExitCodes.Ok;
    }

    private static string? Env(BotburrowSettings settings, string name)
        => settings.Environment.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;
}
