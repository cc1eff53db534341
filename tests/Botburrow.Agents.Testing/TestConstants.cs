namespace Botburrow.Agents.Testing;

/// <summary>Timeouts shared by every test: generous, so that a slow machine never turns into a flaky test.</summary>
public static class TestConstants
{
    /// <summary>Upper bound for anything that should happen "soon".</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound for a child process to start, do its work and exit.</summary>
    public static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(90);
}
