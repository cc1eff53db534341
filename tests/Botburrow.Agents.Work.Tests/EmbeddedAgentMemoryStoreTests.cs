using Botburrow.Agents.Memory;
using Xunit;

namespace Botburrow.Agents.Work.Tests;

/// <summary>The memory contract on the embedded store (with a folder), plus what only the folder gives: memories outlive the process.</summary>
public sealed class EmbeddedAgentMemoryStoreTests : AgentMemoryStoreContractTests, IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("botburrow-memory-");

    protected override Task<IAgentMemoryStore> CreateAsync() => Task.FromResult<IAgentMemoryStore>(new EmbeddedAgentMemoryStore(_folder.FullName));

    [Fact]
    public async Task Memories_AreReadBackFromTheFolder_ByANewStore()
    {
        await new EmbeddedAgentMemoryStore(_folder.FullName).RememberAsync(Memory("ada", "m1", "the deploy key rotates monthly", 1, [0.5f, 0.5f]), Token);

        var reopened = new EmbeddedAgentMemoryStore(_folder.FullName);

        var hit = Assert.Single(await reopened.SearchKeywordAsync("ada", "deploy", 5, Token));
        Assert.Equal([0.5f, 0.5f], hit.Memory.Embedding ?? []);
        Assert.True(File.Exists(Path.Combine(_folder.FullName, "ada.json")));
    }

    [Fact]
    public async Task AnAgentNameThatIsAPath_IsRefused()
    {
        var store = new EmbeddedAgentMemoryStore(_folder.FullName);

        await Assert.ThrowsAsync<ArgumentException>(() => store.RecentAsync("../etc", 1, Token));
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
