using System.Collections;
using System.Globalization;

namespace Botburrow.Agents.Configuration;

/// <summary>
/// Resolves every setting: a flag (only when given) over the environment (<c>BOTBURROW_NAME</c>, then the bare
/// name, then aliases) over an optional file of <c>NAME=value</c> lines over the defaults.
/// </summary>
public static class SettingsLoader
{
    /// <summary>Loads from the process environment.</summary>
    public static BotburrowSettings LoadFromProcess(IReadOnlyDictionary<string, string?>? flags = null, string? configFile = null)
        => Load(ReadProcessEnvironment(), flags, configFile);

    public static BotburrowSettings Load(
        IReadOnlyDictionary<string, string?> environment,
        IReadOnlyDictionary<string, string?>? flags = null,
        string? configFile = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        configFile ??= Lookup(environment, SettingNames.Prefix + SettingNames.ConfigFile) ?? Lookup(environment, SettingNames.ConfigFile);
        var file = configFile is null ? new Dictionary<string, string?>() : ReadFile(configFile);

        var values = new Dictionary<string, SettingValue>(StringComparer.OrdinalIgnoreCase);
        foreach (var definition in SettingsCatalog.All)
        {
            values[definition.Name] = Resolve(definition, environment, flags, file, configFile);
        }

        return new BotburrowSettings(values, environment);
    }

    /// <summary>Reads the process environment into a dictionary.</summary>
    public static Dictionary<string, string?> ReadProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            result[(string)entry.Key] = entry.Value as string;
        }

        return result;
    }

    private static SettingValue Resolve(
        SettingDefinition definition,
        IReadOnlyDictionary<string, string?> environment,
        IReadOnlyDictionary<string, string?>? flags,
        Dictionary<string, string?> file,
        string? configFile)
    {
        if (flags is not null && flags.TryGetValue(definition.Name, out var flag) && flag is not null)
        {
            return new SettingValue(definition, flag, "flag");
        }

        foreach (var name in CandidateNames(definition))
        {
            var value = Lookup(environment, name);
            if (value is not null)
            {
                return new SettingValue(definition, value, "env " + name);
            }
        }

        foreach (var name in CandidateNames(definition))
        {
            if (file.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value))
            {
                return new SettingValue(definition, value, "file " + configFile);
            }
        }

        return new SettingValue(definition, definition.DefaultValue, definition.DefaultValue is null ? "unset" : "default");
    }

    private static IEnumerable<string> CandidateNames(SettingDefinition definition)
    {
        yield return SettingNames.Prefix + definition.Name;
        yield return definition.Name;
        foreach (var alias in definition.Aliases)
        {
            yield return SettingNames.Prefix + alias;
            yield return alias;
        }
    }

    private static string? Lookup(IReadOnlyDictionary<string, string?> environment, string name)
        => environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    private static Dictionary<string, string?> ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new SettingsException($"{SettingNames.ConfigFile} '{path}' does not exist");
        }

        var result = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var lineNumber = 0;
        foreach (var raw in File.ReadLines(path))
        {
            lineNumber++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (line.StartsWith("export ", StringComparison.Ordinal))
            {
                line = line[7..].TrimStart();
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new SettingsException(string.Create(CultureInfo.InvariantCulture, $"{path}:{lineNumber}: expected NAME=value, got '{line}'"));
            }

            var key = line[..equals].Trim();
            var value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value[1..^1];
            }

            var bare = key.StartsWith(SettingNames.Prefix, StringComparison.OrdinalIgnoreCase) ? key[SettingNames.Prefix.Length..] : key;
            if (SettingsCatalog.Find(bare) is null)
            {
                throw new SettingsException(string.Create(CultureInfo.InvariantCulture, $"{path}:{lineNumber}: unknown setting '{key}'"));
            }

            result[bare] = value;
        }

        return result;
    }
}
