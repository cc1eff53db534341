using Xunit;

namespace Botburrow.Agents.Executors.Tests;

/// <summary>What every executor test checks about what a tool was given.</summary>
internal static class SecretChecks
{
    /// <summary>Variables any CLI executor sets besides the tool's own.</summary>
    public static readonly string[] BaseVariables = ["PATH", "HOME", "LANG", "TMPDIR", "npm_config_cache"];

    /// <summary>The environment holds only <see cref="BaseVariables"/> and <paramref name="toolVariables"/>; no planted secret or runner HOME anywhere in what the tool saw.</summary>
    public static void OnlyAllowed(FakeCliRun run, string workspaceRoot, params string[] toolVariables)
    {
        var environment = run.Environment;
        var unexpected = environment.Keys.Except(BaseVariables).Except(toolVariables).ToList();
        Assert.True(unexpected.Count == 0, "unexpected variables: " + string.Join(", ", unexpected));
        Assert.StartsWith(workspaceRoot, environment["HOME"], StringComparison.Ordinal);
        Assert.StartsWith(workspaceRoot, run.WorkingDirectory, StringComparison.Ordinal);
        Assert.EndsWith("/work", run.WorkingDirectory, StringComparison.Ordinal);
        Assert.Equal(Path.GetDirectoryName(run.WorkingDirectory), Path.GetDirectoryName(environment["HOME"])); // beside the working folder, not in it
        var everything = run.Everything();
        foreach (var (name, secret) in ExecutorHarness.PlantedSecrets)
        {
            Assert.False(everything.Contains(secret, StringComparison.Ordinal), $"{name}'s value reached the tool");
        }
    }
}
