namespace Botburrow.Agents.Configuration;

/// <summary>A setting's effective text and where it came from (e.g. <c>env REDIS_URL</c>, <c>default</c>).</summary>
public sealed record SettingValue(SettingDefinition Definition, string? Text, string Source);
