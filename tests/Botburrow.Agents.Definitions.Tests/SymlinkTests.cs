using System.Diagnostics;
using Botburrow.Agents.Definitions.Sources;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Botburrow.Agents.Definitions.Tests;

/// <summary>
/// Definition files are read only inside the definitions folder: links that resolve outside it and files that are not
/// regular files are refused at line 1, column 1, and the other agents keep loading. Real links in temp folders.
/// </summary>
public sealed class SymlinkTests : IDisposable
{
    private const string Secret = "outside-secret-7f3a";

    private readonly TempDefinitions _definitions = new();
    private readonly string _outside = Directory.CreateTempSubdirectory("botburrow-outside-").FullName;

    public SymlinkTests()
    {
        _definitions.WriteAgent("good-agent", Config("good-agent"), "I am fine.");
    }

    public void Dispose()
    {
        _definitions.Dispose();
        Directory.Delete(_outside, recursive: true);
    }

    private static string Config(string name, string skills = "") => $"name: {name}\ntype: native\nbrain:\n  model: m\ncapabilities:{(skills.Length == 0 ? " {}" : $"\n  skills: [{skills}]")}\n";

    private DirectoryAgentDefinitionSource Source() => new(_definitions.Root, NullLogger<DirectoryAgentDefinitionSource>.Instance);

    private string Outside(string name, string content)
    {
        var path = Path.Combine(_outside, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    private string InRoot(params string[] parts) => Path.Combine([_definitions.Root, .. parts]);

    private async Task<IReadOnlyList<string>> ProblemsAndGoodAgentAsync()
    {
        var catalog = await Source().ListAsync(TestContext.Current.CancellationToken);
        var good = Assert.Single(catalog.Agents);
        Assert.Equal("good-agent", good.Name);
        Assert.Equal("I am fine.", good.SystemPrompt);
        Assert.DoesNotContain(catalog.Agents, a => a.SystemPrompt.Contains(Secret, StringComparison.Ordinal));
        return catalog.Problems.Select(p => p.Format(_definitions.Root)).ToList();
    }

    [Fact]
    public async Task A_system_prompt_linked_to_proc_environ_is_never_read()
    {
        _definitions.WriteAgent("leaky", Config("leaky"));
        File.CreateSymbolicLink(InRoot("agents", "leaky", "system-prompt.md"), "/proc/self/environ");

        var problems = await ProblemsAndGoodAgentAsync();

        Assert.Equal(
            [$"agents/leaky/system-prompt.md:1:1: resolves outside the definitions folder (to /proc/{Environment.ProcessId}/environ); symbolic links may point only inside {_definitions.Root}, so it is not read"],
            problems);
        var single = await Assert.ThrowsAsync<AgentDefinitionException>(() => Source().GetAsync("leaky", TestContext.Current.CancellationToken));
        Assert.StartsWith("agents/leaky/system-prompt.md:1:1: resolves outside the definitions folder", Assert.Single(single.Problems).Format(_definitions.Root), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_linked_outside_is_refused_even_when_it_is_valid()
    {
        var target = Outside("config.yaml", Config("linked") + "description: " + Secret + "\n");
        Directory.CreateDirectory(InRoot("agents", "linked"));
        File.CreateSymbolicLink(InRoot("agents", "linked", "config.yaml"), target);

        var problems = await ProblemsAndGoodAgentAsync();

        Assert.Equal([$"agents/linked/config.yaml:1:1: resolves outside the definitions folder (to {target}); symbolic links may point only inside {_definitions.Root}, so it is not read"], problems);
        var single = await Assert.ThrowsAsync<AgentDefinitionException>(() => Source().GetAsync("linked", TestContext.Current.CancellationToken));
        Assert.DoesNotContain(Secret, single.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_agent_folder_linked_outside_is_refused()
    {
        Outside("elsewhere/config.yaml", Config("elsewhere"));
        Outside("elsewhere/system-prompt.md", Secret);
        Directory.CreateSymbolicLink(InRoot("agents", "elsewhere"), Path.Combine(_outside, "elsewhere"));

        var problems = await ProblemsAndGoodAgentAsync();

        Assert.Equal([$"agents/elsewhere/config.yaml:1:1: resolves outside the definitions folder (to {Path.Combine(_outside, "elsewhere", "config.yaml")}); symbolic links may point only inside {_definitions.Root}, so it is not read"], problems);
        await Assert.ThrowsAsync<AgentDefinitionException>(() => Source().GetAsync("elsewhere", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_link_through_a_relative_path_that_climbs_out_is_refused()
    {
        _definitions.WriteAgent("climber", Config("climber"));
        var target = Outside("prompt.md", Secret);
        File.CreateSymbolicLink(InRoot("agents", "climber", "system-prompt.md"), Path.GetRelativePath(InRoot("agents", "climber"), target));

        var problems = await ProblemsAndGoodAgentAsync();

        Assert.Equal([$"agents/climber/system-prompt.md:1:1: resolves outside the definitions folder (to {target}); symbolic links may point only inside {_definitions.Root}, so it is not read"], problems);
    }

    [Fact]
    public async Task A_skill_file_linked_outside_is_refused_and_the_agent_naming_it_still_loads()
    {
        var target = Outside("SKILL.md", "---\nname: stolen\ndescription: " + Secret + "\n---\nbody\n");
        Directory.CreateDirectory(InRoot("skills", "stolen"));
        File.CreateSymbolicLink(InRoot("skills", "stolen", "SKILL.md"), target);
        _definitions.WriteSkill("honest", "---\nname: honest\ndescription: Fine\n---\nbody\n");
        _definitions.WriteAgent("skilled", Config("skilled", "honest, stolen"));

        var catalog = await Source().ListAsync(TestContext.Current.CancellationToken);

        Assert.Equal([$"skills/stolen/SKILL.md:1:1: resolves outside the definitions folder (to {target}); symbolic links may point only inside {_definitions.Root}, so it is not read"], catalog.Problems.Select(p => p.Format(_definitions.Root)));
        Assert.Equal(["honest"], catalog.Skills.Select(s => s.Name));
        Assert.Equal(["honest"], catalog.Agents.Single(a => a.Name == "skilled").SkillDefinitions.Select(s => s.Name));
        var single = await Source().GetAsync("skilled", TestContext.Current.CancellationToken);
        Assert.Equal(["honest"], single.SkillDefinitions.Select(s => s.Name));
    }

    [Fact]
    public async Task A_named_pipe_is_not_a_regular_file_and_is_never_opened()
    {
        _definitions.WriteAgent("piped", Config("piped"));
        MakeFifo(InRoot("agents", "piped", "system-prompt.md"));

        // Opening a named pipe would block until a writer came; the scan must finish on its own.
        var problems = await ProblemsAndGoodAgentAsync().WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        Assert.Equal(["agents/piped/system-prompt.md:1:1: is not a regular file (a named pipe (FIFO)); it is not read"], problems);
    }

    [Fact]
    public async Task A_link_to_a_device_is_refused()
    {
        _definitions.WriteAgent("zeros", Config("zeros"));
        File.CreateSymbolicLink(InRoot("agents", "zeros", "system-prompt.md"), "/dev/zero");

        var problems = await ProblemsAndGoodAgentAsync();

        Assert.Equal([$"agents/zeros/system-prompt.md:1:1: resolves outside the definitions folder (to /dev/zero); symbolic links may point only inside {_definitions.Root}, so it is not read"], problems);
    }

    [Fact]
    public async Task A_link_that_stays_inside_the_root_is_followed()
    {
        Directory.CreateDirectory(InRoot("shared"));
        File.WriteAllText(InRoot("shared", "prompt.md"), "Shared prompt.");
        _definitions.WriteAgent("sharer", Config("sharer"));
        File.CreateSymbolicLink(InRoot("agents", "sharer", "system-prompt.md"), Path.Combine("..", "..", "shared", "prompt.md"));

        var agent = await Source().GetAsync("sharer", TestContext.Current.CancellationToken);
        var catalog = await Source().ListAsync(TestContext.Current.CancellationToken);

        Assert.Equal("Shared prompt.", agent.SystemPrompt);
        Assert.Empty(catalog.Problems);
        Assert.Equal(2, catalog.Agents.Count);
    }

    [Fact]
    public async Task A_root_that_is_itself_a_link_works_as_git_sync_makes_it()
    {
        var link = Path.Combine(_outside, "current");
        Directory.CreateSymbolicLink(link, _definitions.Root);

        var agent = await new DirectoryAgentDefinitionSource(link, NullLogger<DirectoryAgentDefinitionSource>.Instance).GetAsync("good-agent", TestContext.Current.CancellationToken);

        Assert.Equal("I am fine.", agent.SystemPrompt);
    }

    [Fact]
    public async Task A_link_loop_is_refused()
    {
        _definitions.WriteAgent("looped", Config("looped"));
        File.CreateSymbolicLink(InRoot("agents", "looped", "system-prompt.md"), "loop-b");
        File.CreateSymbolicLink(InRoot("agents", "looped", "loop-b"), "system-prompt.md");

        var problems = await ProblemsAndGoodAgentAsync();

        Assert.Equal(["agents/looped/system-prompt.md:1:1: has more than 40 symbolic links to follow (a loop?); it is not read"], problems);
    }

    private static void MakeFifo(string path)
    {
        using var process = Process.Start(new ProcessStartInfo("mkfifo", [path]) { UseShellExecute = false })!;
        process.WaitForExit();
        Assert.Equal(0, process.ExitCode);
    }
}
