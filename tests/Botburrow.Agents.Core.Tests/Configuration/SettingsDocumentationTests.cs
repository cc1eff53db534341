using Botburrow.Agents.Configuration;
using Botburrow.Agents.Testing;
using Xunit;

namespace Botburrow.Agents.Core.Tests.Configuration;

/// <summary>The docs and the README name every setting the code reads, so they cannot drift apart.</summary>
public sealed class SettingsDocumentationTests
{
    public static TheoryData<string> Documents => new() { "README.md", Path.Combine("docs", "configuration.md") };

    [Theory]
    [MemberData(nameof(Documents))]
    public void Document_ListsEverySetting(string document)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, document));

        var missing = SettingsCatalog.All.Where(s => !text.Contains($"`{s.Name}`", StringComparison.Ordinal)).Select(s => s.Name).ToList();

        Assert.True(missing.Count == 0, $"{document} does not list: {string.Join(", ", missing)}");
    }
}
