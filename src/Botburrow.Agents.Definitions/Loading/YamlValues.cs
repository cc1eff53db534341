using Botburrow.Agents.Definitions.Yaml;

namespace Botburrow.Agents.Definitions.Loading;

/// <summary>Reads typed values out of a validated mapping (absent keys give <see langword="null"/>).</summary>
internal static class YamlValues
{
    public static YMapping? Mapping(this YMapping? mapping, string key) => mapping?[key] as YMapping;

    public static string? Text(this YMapping? mapping, string key) => mapping?[key] is YScalar { Kind: not ScalarKind.Null } s ? s.Value : null;

    public static int? Integer(this YMapping? mapping, string key) => mapping?[key] is YScalar s && s.AsInteger() is { } n ? (int)n : null;

    public static double? Number(this YMapping? mapping, string key) => (mapping?[key] as YScalar)?.AsNumber();

    public static bool? Boolean(this YMapping? mapping, string key) => (mapping?[key] as YScalar)?.AsBoolean();

    public static IReadOnlyList<string> TextList(this YMapping? mapping, string key)
        => mapping?[key] is YSequence sequence ? sequence.Items.OfType<YScalar>().Select(s => s.Value).ToList() : [];

    public static IReadOnlyDictionary<string, string> TextMap(this YMapping? mapping, string key)
        => mapping?[key] is YMapping map
            ? map.Entries.ToDictionary(e => e.Key.Value, e => (e.Value as YScalar)?.Value ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
