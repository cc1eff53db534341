namespace Botburrow.Agents.Configuration;

/// <summary>A missing or invalid setting. Its message is one line naming the setting; the process exits with code 2.</summary>
public sealed class SettingsException : Exception
{
    public SettingsException(string message)
        : base(message)
    {
    }

    public SettingsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public SettingsException()
    {
    }
}
