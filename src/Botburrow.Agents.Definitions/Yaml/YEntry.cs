namespace Botburrow.Agents.Definitions.Yaml;

/// <summary>One key and its value inside a mapping.</summary>
internal sealed record YEntry(YScalar Key, YNode Value);
