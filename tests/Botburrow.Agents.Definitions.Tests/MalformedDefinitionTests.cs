using System.Text;
using Botburrow.Agents.Definitions.Sources;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Botburrow.Agents.Definitions.Tests;

/// <summary>Each malformed definition gets a precise, line-numbered error; every problem of a file is reported.</summary>
public sealed class MalformedDefinitionTests : IDisposable
{
    private const string File = "agents/test-agent/config.yaml";

    private readonly TempDefinitions _definitions = new();

    public void Dispose() => _definitions.Dispose();

    /// <summary>A valid definition; tests replace one line of it.</summary>
    private static string Valid(string? replace = null, string? with = null)
    {
        var yaml = """
            name: test-agent
            type: native
            brain:
              provider: anthropic
              model: claude-sonnet-4-20250514
              temperature: 0.7
            capabilities:
              grants:
                - hub:read
                - hub:write
              mcp_servers:
                - hub
            behavior:
              max_iterations: 10

            """;
        return replace is null ? yaml : yaml.Replace(replace, with, StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<string>> ProblemsAsync(string yaml, string folder = "test-agent")
    {
        _definitions.WriteAgent(folder, yaml);
        return await ProblemsOfAsync(folder);
    }

    private async Task<IReadOnlyList<string>> ProblemsOfAsync(string folder)
    {
        var source = new DirectoryAgentDefinitionSource(_definitions.Root, NullLogger<DirectoryAgentDefinitionSource>.Instance);
        var ex = await Assert.ThrowsAsync<AgentDefinitionException>(() => source.GetAsync(folder, TestContext.Current.CancellationToken));
        return ex.Problems.Select(p => p.Format(_definitions.Root)).ToList();
    }

    [Fact]
    public async Task UnknownKey_IsRefusedWithTheAllowedKeys()
    {
        var problems = await ProblemsAsync(Valid("  temperature: 0.7", "  temprature: 0.7"));

        Assert.Equal([$"{File}:6:3: brain.temprature: unknown key; allowed keys: provider, model, api_base, api_key_env, temperature, max_tokens"], problems);
    }

    [Fact]
    public async Task WrongType_NamesTheExpectedType()
    {
        var problems = await ProblemsAsync(Valid("max_iterations: 10", "max_iterations: ten"));

        Assert.Equal([$"{File}:14:19: behavior.max_iterations: expected a whole number, got the string 'ten' (1 to 50)"], problems);
    }

    [Fact]
    public async Task WrongType_StringInsteadOfList()
    {
        var problems = await ProblemsAsync(Valid("  mcp_servers:\n    - hub", "  mcp_servers: hub"));

        Assert.Equal([$"{File}:11:16: capabilities.mcp_servers: expected a list, got the string 'hub' (write one '- item' per line)"], problems);
    }

    [Fact]
    public async Task BadNamePattern_IsRefused()
    {
        var problems = await ProblemsAsync(Valid("name: test-agent", "name: Test_Agent"));

        Assert.Contains($"{File}:1:7: name: 'Test_Agent' does not match ^[a-z0-9-]+$ (lowercase letters, digits and hyphens)", problems);
    }

    [Fact]
    public async Task NameNotMatchingFolder_IsRefused()
    {
        var problems = await ProblemsAsync(Valid("name: test-agent", "name: other-agent"));

        Assert.Equal([$"{File}:1:7: name: 'other-agent' does not match its folder 'test-agent'; the name must equal the folder (agents/<name>/config.yaml)"], problems);
    }

    [Fact]
    public async Task BadGrant_ExplainsTheSyntax()
    {
        var problems = await ProblemsAsync(Valid("    - hub:write", "    - Hub:Write"));

        Assert.Equal([$"{File}:10:7: capabilities.grants[1]: 'Hub:Write' is not a valid grant: 'Hub' is neither a name (lowercase letters, digits, hyphens) nor *; expected service:action[:resource], each segment lowercase letters, digits and hyphens or *, e.g. github:read, hub:*"], problems);
    }

    [Fact]
    public async Task WildcardAndThreeSegmentGrants_AreAccepted()
    {
        _definitions.WriteAgent("test-agent", Valid("    - hub:write", "    - hub:*\n    - postgres:analytics:read\n    - '*:*'"));
        var source = new DirectoryAgentDefinitionSource(_definitions.Root, NullLogger<DirectoryAgentDefinitionSource>.Instance);

        var agent = await source.GetAsync("test-agent", TestContext.Current.CancellationToken);

        Assert.Equal(["hub:read", "hub:*", "postgres:analytics:read", "*:*"], agent.Capabilities.Grants);
    }

    [Fact]
    public async Task TemperatureOutOfRange_ShowsTheRange()
    {
        var problems = await ProblemsAsync(Valid("temperature: 0.7", "temperature: 3.5"));

        Assert.Equal([$"{File}:6:16: brain.temperature: 3.5 is out of range (0 to 2)"], problems);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("51")]
    public async Task MaxIterationsOutOfRange_ShowsTheRange(string value)
    {
        var problems = await ProblemsAsync(Valid("max_iterations: 10", "max_iterations: " + value));

        Assert.Equal([$"{File}:14:19: behavior.max_iterations: {value} is out of range (1 to 50)"], problems);
    }

    [Fact]
    public async Task YamlSyntaxError_HasItsLine()
    {
        var problems = await ProblemsAsync(Valid("  temperature: 0.7", "  temperature: 0.7\n   bad: indent"));

        var problem = Assert.Single(problems);
        Assert.StartsWith($"{File}:7:", problem, StringComparison.Ordinal);
        Assert.Contains("YAML syntax error", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task UnclosedFlowSequence_IsASyntaxErrorNotACrash(bool unclosedAtEnd)
    {
        var problems = await ProblemsAsync(unclosedAtEnd ? "name: test-agent\ntype: native\nbrain:\n  model: [unclosed\n" : "name: test-agent\ntype: native\nbrain:\n  model: [unclosed\ncapabilities: {}\n");

        var problem = Assert.Single(problems);
        Assert.StartsWith($"{File}:", problem, StringComparison.Ordinal);
        Assert.Contains("YAML syntax error", problem, StringComparison.Ordinal);
        Assert.Contains("opened on line 4, column 10", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingRequiredField_IsNamed()
    {
        var problems = await ProblemsAsync(Valid("type: native\n", ""));

        Assert.Equal([$"{File}:1:1: type: required key is missing"], problems);
    }

    [Fact]
    public async Task MissingBrainModel_IsNamed()
    {
        var problems = await ProblemsAsync(Valid("  model: claude-sonnet-4-20250514\n", ""));

        Assert.Equal([$"{File}:4:3: brain.model: required key is missing"], problems);
    }

    [Fact]
    public async Task DuplicateKey_IsRefusedWithBothLines()
    {
        var problems = await ProblemsAsync(Valid("type: native", "type: native\ntype: goose"));

        Assert.Equal([$"{File}:3:1: type: duplicate key (first defined on line 2); each key may appear once"], problems);
    }

    [Fact]
    public async Task EmptyFile_IsRefused()
    {
        var problems = await ProblemsAsync("");

        Assert.Equal([$"{File}:1:1: the file is empty; an agent definition needs at least name, type, brain and capabilities"], problems);
    }

    [Fact]
    public async Task CommentsOnly_IsRefused()
    {
        var problems = await ProblemsAsync("# nothing here yet\n");

        Assert.Equal([$"{File}:1:1: the file has no content (only comments); an agent definition needs at least name, type, brain and capabilities"], problems);
    }

    [Fact]
    public async Task FileOverOneMebibyte_IsRefused()
    {
        var yaml = Valid() + "# " + new string('x', 1024 * 1024) + "\n";
        var problems = await ProblemsAsync(yaml);

        Assert.Equal([$"{File}:1: the file is larger than 1 MiB; the limit is 1048576 bytes"], problems);
    }

    [Fact]
    public async Task InvalidUtf8_IsRefusedWithItsLine()
    {
        var bytes = Encoding.UTF8.GetBytes(Valid("model: claude-sonnet-4-20250514", "model: caf?"));
        var index = Array.IndexOf(bytes, (byte)'?');
        bytes[index] = 0xE9; // Latin-1 'é', invalid on its own in UTF-8
        _definitions.WriteAgentBytes("test-agent", bytes);

        var problems = await ProblemsOfAsync("test-agent");

        Assert.Equal([$"{File}:5:13: the file is not valid UTF-8 (invalid byte 0xE9); save it as UTF-8"], problems);
    }

    [Fact]
    public async Task UnknownType_ListsTheTypes()
    {
        var problems = await ProblemsAsync(Valid("type: native", "type: robot"));

        Assert.Equal([$"{File}:2:7: type: 'robot' is not a known agent type; allowed: native, claude-code, goose, aider, opencode, custom"], problems);
    }

    [Fact]
    public async Task UnknownProvider_ListsTheProviders()
    {
        var problems = await ProblemsAsync(Valid("provider: anthropic", "provider: mistral"));

        Assert.Equal([$"{File}:4:13: brain.provider: 'mistral' is not a known provider; allowed: anthropic, openai, local"], problems);
    }

    [Fact]
    public async Task GoogleProvider_IsNotSupportedYet()
    {
        var problems = await ProblemsAsync(Valid("provider: anthropic", "provider: google"));

        Assert.Equal([$"{File}:4:13: brain.provider: 'google' is not supported yet; allowed: anthropic, openai, local"], problems);
    }

    [Fact]
    public async Task McpServerObjectWithoutCommand_IsRefused()
    {
        var problems = await ProblemsAsync(Valid("    - hub\n", "    - hub\n    - name: tools\n      args: [--stdio]\n"));

        Assert.Equal([$"{File}:13:7: capabilities.mcp_servers[1].command: required key is missing: server 'tools' needs 'command' (a stdio server) or 'url' (a streamable HTTP server)"], problems);
    }

    [Fact]
    public async Task UnknownMcpServerName_ListsTheBuiltIns()
    {
        var problems = await ProblemsAsync(Valid("    - hub\n", "    - hub\n    - kubernetes\n"));

        Assert.Equal([$"{File}:13:7: capabilities.mcp_servers[1]: 'kubernetes' is not a built-in MCP server; allowed: github, brave, brave-search, filesystem, postgres, hub, or a mapping {{name, command, args, env}} (stdio) or {{name, url}} (streamable HTTP)"], problems);
    }

    [Fact]
    public async Task EveryProblemOfAFile_IsReported()
    {
        var yaml = Valid("type: native", "type: robot")
            .Replace("temperature: 0.7", "temperature: 9", StringComparison.Ordinal)
            .Replace("max_iterations: 10", "max_iterations: 0\n  colour: blue", StringComparison.Ordinal);

        var problems = await ProblemsAsync(yaml);

        Assert.Equal(
            [
                $"{File}:2:7: type: 'robot' is not a known agent type; allowed: native, claude-code, goose, aider, opencode, custom",
                $"{File}:6:16: brain.temperature: 9 is out of range (0 to 2)",
                $"{File}:14:19: behavior.max_iterations: 0 is out of range (1 to 50)",
                $"{File}:15:3: behavior.colour: unknown key; allowed keys: respond_to_mentions, respond_to_replies, respond_to_dms, max_iterations, can_create_posts, discovery, limits",
            ],
            problems);
    }

    [Fact]
    public async Task UnquotedVersion_AsksForQuotes()
    {
        var problems = await ProblemsAsync("version: 1.0\n" + Valid());

        Assert.Equal([$"{File}:1:10: version: expected a string, got the number 1.0 (quote it: \"1.0\")"], problems);
    }

    [Fact]
    public async Task DuplicateGrant_IsRefused()
    {
        var problems = await ProblemsAsync(Valid("    - hub:write", "    - hub:read"));

        Assert.Equal([$"{File}:10:7: capabilities.grants[1]: 'hub:read' is listed twice (first at capabilities.grants[0]); items must be unique"], problems);
    }

    [Fact]
    public async Task SecondDocument_IsRefused()
    {
        var problems = await ProblemsAsync(Valid() + "---\nname: other\n");

        var problem = Assert.Single(problems);
        Assert.Contains("a second YAML document ('---') is not allowed", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AliasBomb_IsRefused()
    {
        var lines = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (var i = 1; i < 8; i++)
        {
            lines.Append(System.Globalization.CultureInfo.InvariantCulture, $"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]\n");
        }

        var problems = await ProblemsAsync(lines.ToString());

        var problem = Assert.Single(problems);
        Assert.Contains("expands to more than 100000 nodes", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeepNesting_IsRefusedNotACrash()
    {
        var problems = await ProblemsAsync("name: " + new string('[', 200_000) + "\n");

        var problem = Assert.Single(problems);
        Assert.Contains("nested deeper than 64 levels", problem, StringComparison.Ordinal);
    }
}
