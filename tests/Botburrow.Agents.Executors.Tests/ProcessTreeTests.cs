using Xunit;

namespace Botburrow.Agents.Executors.Tests;

/// <summary>
/// Tests that time real process trees against a short ACTIVATION_TIMEOUT, and the sandbox tests that start several
/// `botburrow` processes each: they run alone, so a loaded machine does not make a 3 s timeout fire before the tool starts.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessTreeTests
{
    public const string Name = "Process trees";
}
