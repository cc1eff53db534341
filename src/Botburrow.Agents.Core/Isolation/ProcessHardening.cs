using System.Runtime.InteropServices;
using Botburrow.Agents.Configuration;

namespace Botburrow.Agents.Isolation;

/// <summary>
/// Protects the secrets a <c>botburrow</c> process holds from other processes of the same user (a CLI tool's shell,
/// an MCP server): on Linux the process makes itself non-dumpable, so <c>/proc/PID/environ</c>, <c>/proc/PID/mem</c>
/// and ptrace are refused to everything but root with <c>CAP_SYS_PTRACE</c>; and once the settings are read, the
/// secret settings leave the environment children would otherwise inherit.
/// </summary>
public static partial class ProcessHardening
{
    private const int PrGetDumpable = 3;
    private const int PrSetDumpable = 4;

    /// <summary>Why <see cref="DisableDumping"/> failed in this process, or <see langword="null"/>.</summary>
    public static string? Failure { get; private set; }

    /// <summary>
    /// Makes this process non-dumpable (<c>prctl(PR_SET_DUMPABLE, 0)</c>). Returns false, with the reason in
    /// <see cref="Failure"/>, when that failed; a no-op returning false on other systems than Linux.
    /// </summary>
    public static bool DisableDumping()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            if (Prctl(PrSetDumpable, 0, 0, 0, 0) != 0)
            {
                Failure = $"prctl(PR_SET_DUMPABLE, 0) failed with errno {Marshal.GetLastPInvokeError()}";
                return false;
            }

            Failure = null;
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            Failure = "prctl is not available: " + ex.Message;
            return false;
        }
    }

    /// <summary>True when this process can be dumped (and so read by its user's other processes); <see langword="null"/> off Linux.</summary>
    public static bool? IsDumpable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            return Prctl(PrGetDumpable, 0, 0, 0, 0) != 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return true;
        }
    }

    /// <summary>
    /// Removes every secret setting (<c>HUB_API_KEY</c>, <c>GITHUB_PAT</c>, …, under its bare, prefixed and alias
    /// names) from this process's environment, so that no child started later inherits one by accident; returns the
    /// names removed. Call it after the settings were read: they keep their own copy. (<c>/proc/PID/environ</c> still
    /// shows the environment the process started with, which is why <see cref="DisableDumping"/> matters.)
    /// </summary>
    public static IReadOnlyList<string> RemoveSecretsFromEnvironment()
    {
        var removed = new List<string>();
        foreach (var definition in SettingsCatalog.All.Where(d => d.IsSecret))
        {
            foreach (var name in definition.Aliases.Prepend(definition.Name))
            {
                foreach (var candidate in new[] { name, SettingNames.Prefix + name })
                {
                    if (Environment.GetEnvironmentVariable(candidate) is not null)
                    {
                        Environment.SetEnvironmentVariable(candidate, null);
                        removed.Add(candidate);
                    }
                }
            }
        }

        return removed;
    }

    [LibraryImport("libc", EntryPoint = "prctl", SetLastError = true)]
    private static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);
}
