using System.CommandLine;
using Botburrow.Agents.Configuration;

namespace Botburrow.Cli.Commands;

/// <summary>What every verb's action receives: its parse result, effective settings and output writers.</summary>
internal sealed class CliContext
{
    private CliContext(ParseResult parseResult, BotburrowSettings settings)
    {
        ParseResult = parseResult;
        Settings = settings;
    }

    /// <summary>The global <c>--config FILE</c> option: a file of <c>NAME=value</c> lines under the environment.</summary>
    public static Option<FileInfo?> ConfigFileOption { get; } = new("--config")
    {
        Description = "A file of NAME=value settings (the environment wins over it).",
        Recursive = true,
    };

    public ParseResult ParseResult { get; }

    public BotburrowSettings Settings { get; }

    public TextWriter Out => ParseResult.InvocationConfiguration.Output;

    public TextWriter Error => ParseResult.InvocationConfiguration.Error;

    /// <summary>
    /// Loads the settings (flags over environment over file over defaults) and runs the verb. A missing or
    /// invalid setting prints its one-line message and exits 2.
    /// </summary>
    public static async Task<int> RunAsync(
        ParseResult parseResult,
        IReadOnlyDictionary<string, string?>? flags,
        Func<CliContext, CancellationToken, Task<int>> action,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            var settings = SettingsLoader.LoadFromProcess(flags, parseResult.GetValue(ConfigFileOption)?.FullName);

            // The settings hold their own copy: no child started from here on inherits a secret by accident. The
            // `mcp` verbs keep theirs, since `mcp filter` hands its environment to the server it fronts.
            if (!IsMcpVerb(parseResult.CommandResult))
            {
                Botburrow.Agents.Isolation.ProcessHardening.RemoveSecretsFromEnvironment();
            }

            return await action(new CliContext(parseResult, settings), cancellationToken);
        }
        catch (SettingsException ex)
        {
            await parseResult.InvocationConfiguration.Error.WriteLineAsync(ex.Message);
            return ExitCodes.UsageError;
        }
    }

    private static bool IsMcpVerb(System.CommandLine.Parsing.SymbolResult? result)
    {
        for (var current = result; current is not null; current = current.Parent)
        {
            if (current is System.CommandLine.Parsing.CommandResult { Command.Name: "mcp" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Flags given on the command line, keyed by setting name; flags not given are absent.</summary>
    public static Dictionary<string, string?> Flags(ParseResult parseResult, params (string Setting, Option Option)[] options)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        var flags = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (setting, option) in options)
        {
            var result = parseResult.GetResult(option);
            if (result is { Implicit: false } && result.Tokens.Count > 0)
            {
                flags[setting] = string.Join(' ', result.Tokens.Select(t => t.Value));
            }
        }

        return flags;
    }
}
