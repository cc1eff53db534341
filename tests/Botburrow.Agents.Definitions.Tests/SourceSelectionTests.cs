using Botburrow.Agents.Configuration;
using Botburrow.Agents.Definitions.Sources;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Botburrow.Agents.Definitions.Tests;

/// <summary>The settings choose the source; <c>AddAgentDefinitions</c> registers it.</summary>
[Collection(CurrentDirectoryTests.Name)]
public sealed class SourceSelectionTests
{
    private static BotburrowSettings Settings(params (string Name, string Value)[] values)
        => SettingsLoader.Load(values.ToDictionary(v => v.Name, v => (string?)v.Value));

    [Fact]
    public void NoRepository_SelectsTheDirectory()
        => Assert.Equal(AgentDefinitionSourceKind.Directory, AgentDefinitionSourceFactory.Classify(Settings()));

    [Theory]
    [InlineData("ardenone/agent-definitions", AgentDefinitionSourceKind.GitHubRaw)]
    [InlineData("https://github.com/ardenone/agent-definitions.git", AgentDefinitionSourceKind.Git)]
    [InlineData("git@github.com:ardenone/agent-definitions.git", AgentDefinitionSourceKind.Git)]
    [InlineData("/srv/git/agent-definitions.git", AgentDefinitionSourceKind.Git)]
    [InlineData("./defs/agents", AgentDefinitionSourceKind.Git)]
    public void Repository_SelectsBySyntax(string repository, AgentDefinitionSourceKind expected)
        => Assert.Equal(expected, AgentDefinitionSourceFactory.Classify(Settings(("AGENT_DEFINITIONS_REPO", repository))));

    [Fact]
    public void ExistingLocalPathThatLooksLikeOwnerRepo_SelectsGit()
    {
        var parent = Directory.CreateTempSubdirectory("botburrow-select-");
        try
        {
            Directory.CreateDirectory(Path.Combine(parent.FullName, "owner", "repo"));
            var previous = Environment.CurrentDirectory;
            Environment.CurrentDirectory = parent.FullName;
            try
            {
                Assert.Equal(AgentDefinitionSourceKind.Git, AgentDefinitionSourceFactory.Classify(Settings(("AGENT_DEFINITIONS_REPO", "owner/repo"))));
            }
            finally
            {
                Environment.CurrentDirectory = previous;
            }
        }
        finally
        {
            parent.Delete(recursive: true);
        }
    }

    [Fact]
    public void AddAgentDefinitions_RegistersTheSelectedSource()
    {
        using var definitions = new TempDefinitions();
        var services = new ServiceCollection();
        services.AddAgentDefinitions(Settings(("AGENT_DEFINITIONS_PATH", definitions.Root)));
        services.AddAgentDefinitions(Settings(("AGENT_DEFINITIONS_REPO", "acme/defs"))); // idempotent: the first wins
        using var provider = services.BuildServiceProvider();

        var source = Assert.IsType<DirectoryAgentDefinitionSource>(provider.GetRequiredService<IAgentDefinitionSource>());
        Assert.Equal(definitions.Root, source.Root);
    }

    [Fact]
    public void AddAgentDefinitions_GitHubRepo_UsesRawFiles()
    {
        var services = new ServiceCollection();
        services.AddAgentDefinitions(Settings(("AGENT_DEFINITIONS_REPO", "acme/defs"), ("AGENT_DEFINITIONS_BRANCH", "prod")));
        using var provider = services.BuildServiceProvider();

        var source = Assert.IsType<GitHubRawAgentDefinitionSource>(provider.GetRequiredService<IAgentDefinitionSource>());
        Assert.Equal("GitHub raw files of acme/defs (branch prod) at https://raw.githubusercontent.com/", source.Description);
    }
}
