namespace Botburrow.Cli;

/// <summary>The process exit codes of every verb.</summary>
internal static class ExitCodes
{
    /// <summary>Everything worked (or nothing was wrong).</summary>
    public const int Ok = 0;

    /// <summary>The verb ran and found or met a failure (invalid definitions, a failed activation, a failing check).</summary>
    public const int Failure = 1;

    /// <summary>Bad usage or configuration: an unknown flag, a missing or invalid setting.</summary>
    public const int UsageError = 2;
}
