using Xunit;

namespace Botburrow.Agents.Testing;

/// <summary>Finds the repository root and the shared fixtures folder beside the checkout.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The repository root (the folder holding <c>Botburrow.Agents.slnx</c>).</summary>
    public static string RepositoryRoot => Root.Value;

    private static readonly Lazy<string?> SharedRoot = new(FindShared);

    /// <summary>
    /// <c>../shared/fixtures/agent-definitions</c>. Skips the test when that folder is absent (a clone
    /// elsewhere), and fails it instead under <c>CI=true</c>.
    /// </summary>
    public static string SharedAgentDefinitions => Shared(Path.Combine("fixtures", "agent-definitions"), "The shared fixtures are");

    /// <summary>
    /// A file or folder of the shared material beside the checkout: <c>../shared</c>, or, for a clone of a local
    /// checkout (<c>git clone . /tmp/fresh</c>), the <c>../shared</c> beside the checkout it was cloned from; or
    /// <c>BOTBURROW_SHARED_DIR</c>. Skips the test when it is absent, and fails it instead under <c>CI=true</c>.
    /// </summary>
    public static string Shared(string relative, string what)
    {
        var path = Path.GetFullPath(Path.Combine(SharedRoot.Value ?? Path.Combine(RepositoryRoot, "..", "shared"), relative));
        if (!Path.Exists(path))
        {
            if (IsCi)
            {
                throw new InvalidOperationException($"{what} missing at {path}; CI must run with ../shared beside the clone.");
            }

            Assert.Skip($"{what} not found at {path}");
        }

        return path;
    }

    public static string ExampleAgentDefinitions => Path.Combine(RepositoryRoot, "examples", "agent-definitions");

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string? FindShared()
    {
        if (Environment.GetEnvironmentVariable("BOTBURROW_SHARED_DIR") is { Length: > 0 } configured)
        {
            return configured;
        }

        var beside = Path.Combine(RepositoryRoot, "..", "shared");
        if (Directory.Exists(beside))
        {
            return beside;
        }

        // A clone of a local checkout: the shared folder beside the checkout it came from.
        try
        {
            using var git = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("git", ["-C", RepositoryRoot, "remote", "get-url", "origin"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            var origin = git?.StandardOutput.ReadToEnd().Trim();
            git?.WaitForExit();
            if (!string.IsNullOrEmpty(origin) && Directory.Exists(origin) && Directory.Exists(Path.Combine(origin, "..", "shared")))
            {
                return Path.Combine(origin, "..", "shared");
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No git: only ../shared counts.
        }

        return null;
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Botburrow.Agents.slnx")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Botburrow.Agents.slnx not found above " + AppContext.BaseDirectory);
    }
}
