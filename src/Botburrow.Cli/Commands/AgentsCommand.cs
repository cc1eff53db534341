using System.CommandLine;
using System.Globalization;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Definitions.Permissions;
using Botburrow.Agents.Definitions.Sources;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Botburrow.Cli.Commands;

/// <summary><c>botburrow agents validate [DIR]</c>, <c>botburrow agents list [DIR]</c>, <c>botburrow agents grants NAME</c> and <c>botburrow agents memory NAME</c>.</summary>
internal sealed class AgentsCommand : Command
{
    private static readonly string[] Header = ["NAME", "TYPE", "PROVIDER/MODEL", "GRANTS", "MCP SERVERS"];

    public AgentsCommand()
        : base("agents", "Check and list agent definitions; inspect an agent's memory.")
    {
        var validateDirectory = new Argument<DirectoryInfo?>("DIR")
        {
            Description = "Definitions folder holding agents/<name>/config.yaml and skills/<name>/SKILL.md (default: AGENT_DEFINITIONS_PATH).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var validate = new Command("validate", "Validate every agent and skill; one line per problem (FILE:LINE:COLUMN: FIELD: MESSAGE). Exit 0 when valid, 1 when any problem, 2 when DIR is missing.")
        {
            validateDirectory,
        };
        validate.SetAction((parseResult, cancellationToken) => CliContext.RunAsync(
            parseResult, null, (context, ct) => ValidateAsync(context, parseResult.GetValue(validateDirectory), ct), cancellationToken));

        var listDirectory = new Argument<DirectoryInfo?>("DIR")
        {
            Description = "Definitions folder (default: the configured source: AGENT_DEFINITIONS_REPO or AGENT_DEFINITIONS_PATH).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var list = new Command("list", "List the agents: name, type, provider/model, grants and MCP servers.")
        {
            listDirectory,
        };
        list.SetAction((parseResult, cancellationToken) => CliContext.RunAsync(
            parseResult, null, (context, ct) => ListAsync(context, parseResult.GetValue(listDirectory), ct), cancellationToken));

        Subcommands.Add(validate);
        Subcommands.Add(list);
        Subcommands.Add(new AgentGrantsCommand());
        Subcommands.Add(new AgentMemoryCommand());
    }

    private static async Task<int> ValidateAsync(CliContext context, DirectoryInfo? directory, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(directory?.FullName ?? context.Settings.AgentDefinitionsPath);
        if (await CheckRootAsync(context, root, directory is null) is { } exitCode)
        {
            return exitCode;
        }

        using var services = BuildServices(context.Settings);
        var source = new DirectoryAgentDefinitionSource(root, services.GetRequiredService<ILogger<DirectoryAgentDefinitionSource>>(), new PermissionsPolicySource(context.Settings.AgentPermissionsPath));
        var catalog = await source.ListAsync(cancellationToken);
        foreach (var problem in catalog.Problems)
        {
            await context.Out.WriteLineAsync(problem.Format(root).AsMemory(), cancellationToken);
        }

        var checkedText = $"Checked {Count(catalog.AgentFilesChecked, "agent")} and {Count(catalog.SkillFilesChecked, "skill")} in {root}";
        if (catalog.Problems.Count == 0)
        {
            await context.Out.WriteLineAsync($"{checkedText}: all valid.".AsMemory(), cancellationToken);
            return ExitCodes.Ok;
        }

        var files = catalog.Problems.Select(p => p.File).Distinct(StringComparer.Ordinal).Count();
        await context.Out.WriteLineAsync($"{checkedText}: {Count(catalog.Problems.Count, "problem")} in {Count(files, "file")}.".AsMemory(), cancellationToken);
        return ExitCodes.Failure;
    }

    private static async Task<int> ListAsync(CliContext context, DirectoryInfo? directory, CancellationToken cancellationToken)
    {
        using var services = BuildServices(context.Settings);
        IAgentDefinitionSource source;
        string? root = null;
        if (directory is not null)
        {
            root = Path.GetFullPath(directory.FullName);
            if (await CheckRootAsync(context, root, fromSettings: false) is { } exitCode)
            {
                return exitCode;
            }

            source = new DirectoryAgentDefinitionSource(root, services.GetRequiredService<ILogger<DirectoryAgentDefinitionSource>>(), new PermissionsPolicySource(context.Settings.AgentPermissionsPath));
        }
        else
        {
            source = services.GetRequiredService<IAgentDefinitionSource>();
            if (!source.SupportsListing)
            {
                await context.Error.WriteLineAsync($"'botburrow agents list' cannot list {source.Description}; set AGENT_DEFINITIONS_PATH to a directory or AGENT_DEFINITIONS_REPO to a git URL or path".AsMemory(), cancellationToken);
                return ExitCodes.UsageError;
            }

            if (source is DirectoryAgentDefinitionSource directorySource
                && await CheckRootAsync(context, directorySource.Root, fromSettings: true) is { } exitCode)
            {
                return exitCode;
            }
        }

        AgentCatalog catalog;
        try
        {
            catalog = await source.ListAsync(cancellationToken);
        }
        catch (AgentDefinitionSourceException ex)
        {
            await context.Error.WriteLineAsync(ex.Message.AsMemory(), cancellationToken);
            return ExitCodes.Failure;
        }

        await WriteTableAsync(context.Out, catalog.Agents, cancellationToken);
        if (catalog.Problems.Count == 0)
        {
            return ExitCodes.Ok;
        }

        foreach (var problem in catalog.Problems)
        {
            await context.Error.WriteLineAsync(problem.Format(root ?? catalog.Root).AsMemory(), cancellationToken);
        }

        await context.Error.WriteLineAsync($"{Count(catalog.Problems.Count, "problem")} found; invalid agents are not listed (see 'botburrow agents validate').".AsMemory(), cancellationToken);
        return ExitCodes.Failure;
    }

    private static async Task WriteTableAsync(TextWriter output, IReadOnlyList<AgentDefinition> agents, CancellationToken cancellationToken)
    {
        var rows = new List<string[]> { Header };
        rows.AddRange(agents.OrderBy(a => a.Name, StringComparer.Ordinal).Select(a => new[]
        {
            a.Name,
            a.Type.ToYaml(),
            $"{a.Brain.Provider.ToYaml()}/{a.Brain.Model}",
            a.Capabilities.Grants.Count == 0 ? "-" : string.Join(',', a.Capabilities.Grants),
            a.Capabilities.McpServers.Count == 0 ? "-" : string.Join(',', a.Capabilities.McpServers.Select(s => s.Name)),
        }));
        var widths = Enumerable.Range(0, 5).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            var line = string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i])));
            await output.WriteLineAsync(line.AsMemory(), cancellationToken);
        }
    }

    private static async Task<int?> CheckRootAsync(CliContext context, string root, bool fromSettings)
    {
        var origin = fromSettings ? $" ({SettingNames.AgentDefinitionsPath})" : "";
        if (!Directory.Exists(root))
        {
            await context.Error.WriteLineAsync($"Directory not found: {root}{origin}");
            return ExitCodes.UsageError;
        }

        if (!Directory.Exists(Path.Combine(root, "agents")))
        {
            await context.Error.WriteLineAsync($"No agents/ folder in {root}{origin}; expected agents/<name>/config.yaml inside it");
            return ExitCodes.UsageError;
        }

        return null;
    }

    private static ServiceProvider BuildServices(BotburrowSettings settings)
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddBotburrowLogging(settings));
        services.AddAgentDefinitions(settings);
        return services.BuildServiceProvider();
    }

    private static string Count(int count, string noun)
        => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");
}
