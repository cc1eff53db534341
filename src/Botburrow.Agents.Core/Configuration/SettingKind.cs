namespace Botburrow.Agents.Configuration;

/// <summary>How a setting's text is parsed and checked.</summary>
public enum SettingKind
{
    Text,
    Url,
    WholeNumber,
    Duration,
    Boolean,
    Choice,
}
