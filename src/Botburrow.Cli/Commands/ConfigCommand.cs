using System.CommandLine;
using Botburrow.Agents.Configuration;

namespace Botburrow.Cli.Commands;

/// <summary><c>botburrow config show</c>: the effective settings, secrets masked.</summary>
internal sealed class ConfigCommand : Command
{
    public ConfigCommand()
        : base("config", "Inspect the effective configuration.")
    {
        var show = new Command("show", "Print every setting with its effective value (secrets masked) and where it came from.");
        show.SetAction((parseResult, cancellationToken) => CliContext.RunAsync(parseResult, null, ShowAsync, cancellationToken));
        Subcommands.Add(show);
    }

    private static async Task<int> ShowAsync(CliContext context, CancellationToken cancellationToken)
    {
        var values = context.Settings.Values.ToList();
        var width = values.Max(v => v.Definition.Name.Length);
        foreach (var value in values)
        {
            var line = $"{value.Definition.Name.PadRight(width)}  {BotburrowSettings.Display(value)}  ({value.Source})";
            await context.Out.WriteLineAsync(line.AsMemory(), cancellationToken);
        }

        return ExitCodes.Ok;
    }
}
