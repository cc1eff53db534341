using Botburrow.Agents.Definitions.Sources;
using Botburrow.Agents.Testing;
using LibGit2Sharp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Botburrow.Agents.Definitions.Tests;

/// <summary>Definitions in a local bare git repository load through the git source, and new commits arrive after the pull interval.</summary>
public sealed class GitSourceTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("botburrow-git-").FullName;
    private readonly string _bare;
    private readonly string _work;

    public GitSourceTests()
    {
        _bare = Path.Combine(_root, "definitions.git");
        _work = Path.Combine(_root, "work");
        Repository.Init(_bare, isBare: true);
        Repository.Init(_work);
        using var repository = new Repository(_work);
        repository.Network.Remotes.Add("origin", _bare);
    }

    private string CacheDirectory => Path.Combine(_root, "cache");

    public void Dispose()
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Where(f => new FileInfo(f).LinkTarget is null))
            {
                File.SetAttributes(file, FileAttributes.Normal); // git marks objects read-only
            }

            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void CommitAndPush(string message, params (string Path, string Content)[] files)
    {
        foreach (var (path, content) in files)
        {
            var full = Path.Combine(_work, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }

        using var repository = new Repository(_work);
        Commands.Stage(repository, "*");
        var signature = new Signature("Test", "test@example.invalid", TimeProvider.System.GetUtcNow());
        repository.Commit(message, signature, signature);
        repository.Network.Push(repository.Network.Remotes["origin"], $"+{repository.Head.CanonicalName}:refs/heads/main");
    }

    private static string Agent(string name, string description) => $"""
        name: {name}
        type: native
        description: {description}
        brain:
          model: llama3.1:8b
          provider: local
          api_base: http://127.0.0.1:11434/v1
        capabilities:
          grants: [hub:read, hub:write]
        """;

    private GitAgentDefinitionSource Source(TimeSpan pullInterval, TimeProvider? timeProvider = null)
        => new(_bare, "main", CacheDirectory, pullInterval, timeProvider ?? TimeProvider.System, NullLogger<GitAgentDefinitionSource>.Instance);

    [Fact]
    public async Task DefinitionsInABareRepository_Load()
    {
        CommitAndPush("first", ("agents/git-agent/config.yaml", Agent("git-agent", "version one")), ("agents/git-agent/system-prompt.md", "You live in git."));
        using var source = Source(TimeSpan.FromMinutes(5));
        var ct = TestContext.Current.CancellationToken;

        var agent = await source.GetAsync("git-agent", ct);
        var catalog = await source.ListAsync(ct);

        Assert.Equal("version one", agent.Description);
        Assert.Equal("You live in git.", agent.SystemPrompt);
        Assert.Equal("git-agent", Assert.Single(catalog.Agents).Name);
        Assert.True(File.Exists(Path.Combine(source.CheckoutDirectory, "agents", "git-agent", "config.yaml")));
        var missing = await Assert.ThrowsAsync<AgentConfigNotFoundException>(() => source.GetAsync("nobody", ct));
        Assert.Equal($"Agent config not found: {Path.Combine(source.CheckoutDirectory, "agents", "nobody", "config.yaml")}", missing.Message);
    }

    [Fact]
    public async Task A_committed_link_out_of_the_checkout_is_refused_and_the_rest_loads()
    {
        // A cloned repository can hold symbolic links: this one points a prompt at the runner's environment.
        Directory.CreateDirectory(Path.Combine(_work, "agents", "leaky"));
        File.CreateSymbolicLink(Path.Combine(_work, "agents", "leaky", "system-prompt.md"), "/proc/self/environ");
        CommitAndPush("first", ("agents/git-agent/config.yaml", Agent("git-agent", "fine")), ("agents/leaky/config.yaml", Agent("leaky", "leaks")));
        using var source = Source(TimeSpan.FromHours(1));
        var ct = TestContext.Current.CancellationToken;

        var catalog = await source.ListAsync(ct);
        var single = await Assert.ThrowsAsync<AgentDefinitionException>(() => source.GetAsync("leaky", ct));

        Assert.NotNull(new FileInfo(Path.Combine(source.CheckoutDirectory, "agents", "leaky", "system-prompt.md")).LinkTarget); // the clone made the link
        Assert.Equal("git-agent", Assert.Single(catalog.Agents).Name);
        Assert.Equal(
            [$"agents/leaky/system-prompt.md:1:1: resolves outside the definitions folder (to /proc/{Environment.ProcessId}/environ); symbolic links may point only inside {source.CheckoutDirectory}, so it is not read"],
            catalog.Problems.Select(p => p.Format(source.CheckoutDirectory)));
        Assert.Equal(catalog.Problems, single.Problems);
    }

    [Fact]
    public async Task NewCommit_IsPickedUpOnlyAfterThePullInterval()
    {
        CommitAndPush("first", ("agents/git-agent/config.yaml", Agent("git-agent", "version one")));
        var time = new FakeTimeProvider();
        using var source = Source(TimeSpan.FromMinutes(1), time);
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal("version one", (await source.GetAsync("git-agent", ct)).Description);

        CommitAndPush("second", ("agents/git-agent/config.yaml", Agent("git-agent", "version two")), ("agents/new-agent/config.yaml", Agent("new-agent", "brand new")));
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal("version one", (await source.GetAsync("git-agent", ct)).Description);
        await Assert.ThrowsAsync<AgentConfigNotFoundException>(() => source.GetAsync("new-agent", ct));

        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("version two", (await source.GetAsync("git-agent", ct)).Description);
        Assert.Equal("brand new", (await source.GetAsync("new-agent", ct)).Description);
    }

    [Fact]
    public async Task NewCommit_IsPickedUpWithAShortRealInterval()
    {
        CommitAndPush("first", ("agents/git-agent/config.yaml", Agent("git-agent", "version one")));
        using var source = Source(TimeSpan.FromMilliseconds(100));
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal("version one", (await source.GetAsync("git-agent", ct)).Description);

        CommitAndPush("second", ("agents/git-agent/config.yaml", Agent("git-agent", "version two")));

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(TestConstants.DefaultTimeout);
        while ((await source.GetAsync("git-agent", deadline.Token)).Description != "version two")
        {
            await Task.Delay(50, deadline.Token);
        }
    }

    [Fact]
    public async Task DeletedAgent_DisappearsAfterAPull()
    {
        CommitAndPush("first", ("agents/git-agent/config.yaml", Agent("git-agent", "one")), ("agents/old-agent/config.yaml", Agent("old-agent", "old")));
        using var source = Source(TimeSpan.FromHours(1));
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(2, (await source.ListAsync(ct)).Agents.Count);

        File.Delete(Path.Combine(_work, "agents", "old-agent", "config.yaml"));
        using (var repository = new Repository(_work))
        {
            Commands.Remove(repository, "agents/old-agent/config.yaml");
        }

        CommitAndPush("remove old-agent");
        await source.PullAsync(ct);

        Assert.Equal("git-agent", Assert.Single((await source.ListAsync(ct)).Agents).Name);
    }

    [Fact]
    public async Task ExistingCheckout_IsReusedByANewSource()
    {
        CommitAndPush("first", ("agents/git-agent/config.yaml", Agent("git-agent", "one")));
        var ct = TestContext.Current.CancellationToken;
        using (var first = Source(TimeSpan.FromHours(1)))
        {
            await first.GetAsync("git-agent", ct);
        }

        CommitAndPush("second", ("agents/git-agent/config.yaml", Agent("git-agent", "two")));
        using var second = Source(TimeSpan.FromHours(1));

        Assert.Equal("two", (await second.GetAsync("git-agent", ct)).Description);
    }

    [Fact]
    public async Task MissingBranch_GivesAClearError()
    {
        CommitAndPush("first", ("agents/git-agent/config.yaml", Agent("git-agent", "one")));
        using var source = new GitAgentDefinitionSource(_bare, "no-such-branch", CacheDirectory, TimeSpan.FromMinutes(1), TimeProvider.System, NullLogger<GitAgentDefinitionSource>.Instance);

        var ex = await Assert.ThrowsAsync<AgentDefinitionSourceException>(() => source.GetAsync("git-agent", TestContext.Current.CancellationToken));

        Assert.StartsWith($"Cannot clone agent definitions from {_bare} (branch no-such-branch): ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CloneFailure_MasksAPasswordInTheUrl()
    {
        var port = FreePort.Next(); // nothing listens there
        using var source = new GitAgentDefinitionSource($"http://deploy:s3cret@127.0.0.1:{port}/defs.git", "main", CacheDirectory, TimeSpan.FromMinutes(1), TimeProvider.System, NullLogger<GitAgentDefinitionSource>.Instance);

        var ex = await Assert.ThrowsAsync<AgentDefinitionSourceException>(() => source.GetAsync("any-agent", TestContext.Current.CancellationToken));

        Assert.StartsWith($"Cannot clone agent definitions from http://deploy:****@127.0.0.1:{port}/defs.git (branch main): ", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", source.Description, StringComparison.Ordinal);
    }
}
