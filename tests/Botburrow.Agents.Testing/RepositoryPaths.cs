using Xunit;

namespace Botburrow.Agents.Testing;

/// <summary>Finds the repository root and the shared fixtures folder beside the checkout.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string> Root = new(FindRoot);

    /// <summary>The repository root (the folder holding <c>Botburrow.Agents.slnx</c>).</summary>
    public static string RepositoryRoot => Root.Value;

    /// <summary>
    /// <c>../shared/fixtures/agent-definitions</c>. Skips the test when that folder is absent (a clone
    /// elsewhere), and fails it instead under <c>CI=true</c>.
    /// </summary>
    public static string SharedAgentDefinitions
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "fixtures", "agent-definitions"));
            if (!Directory.Exists(path))
            {
                if (IsCi)
                {
                    throw new InvalidOperationException($"The shared fixtures are missing at {path}; CI must run with ../shared beside the clone.");
                }

                Assert.Skip($"shared fixtures not found at {path}");
            }

            return path;
        }
    }

    public static string ExampleAgentDefinitions => Path.Combine(RepositoryRoot, "examples", "agent-definitions");

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

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
