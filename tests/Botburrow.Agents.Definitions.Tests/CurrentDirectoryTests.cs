using Xunit;

namespace Botburrow.Agents.Definitions.Tests;

/// <summary>Tests that change the process's current directory run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CurrentDirectoryTests
{
    public const string Name = "current directory";
}
