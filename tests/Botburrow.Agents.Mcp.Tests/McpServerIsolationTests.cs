using System.Diagnostics;
using System.Text.Json;
using Botburrow.Agents.Definitions.Model;
using Botburrow.Agents.Grants;
using Botburrow.Agents.Isolation;
using Botburrow.Agents.Mcp.Catalog;
using Botburrow.Agents.Testing;
using Microsoft.Extensions.AI;
using Xunit;

namespace Botburrow.Agents.Mcp.Tests;

/// <summary>What a stdio server sees of the runner: its home, its command line, and (confined) its file system.</summary>
public sealed class McpServerIsolationTests : IDisposable
{
    private const string DatabaseUrl = "postgres://reader:db-password-4711@db.internal:5432/analytics";

    private readonly string _workspace = Directory.CreateTempSubdirectory("botburrow-mcp-iso-").FullName;
    private readonly LogCapture _logs = new();

    public void Dispose() => Directory.Delete(_workspace, recursive: true);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_server_gets_a_home_in_the_activation_workspace_not_the_runners()
    {
        await using var session = await StartAsync(sandbox: null);
        var values = JsonSerializer.Deserialize<Dictionary<string, string?>>(await CallAsync(session, "mine__get_env", new() { ["names"] = "HOME" }))!;

        Assert.Equal(Path.Combine(_workspace, ".home"), values["HOME"]);
        Assert.NotEqual(Environment.GetEnvironmentVariable("HOME"), values["HOME"]);
        Assert.True(Directory.Exists(Path.Combine(_workspace, ".home")));
    }

    [Fact]
    public async Task A_confined_server_runs_in_its_workspace_and_sees_none_of_the_runners_files()
    {
        RequireBubblewrap();
        var hidden = Directory.CreateTempSubdirectory("botburrow-mcp-runner-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(hidden, "secret"), "runner-only", Ct);
            var sandbox = new ChildSandbox(SandboxMode.Required, Environment.GetEnvironmentVariable("PATH"), [hidden], [], _logs.Factory().CreateLogger("test"));
            await using var session = await StartAsync(sandbox);

            Assert.Equal(_workspace, await CallAsync(session, "mine__cwd", []));
            var values = JsonSerializer.Deserialize<Dictionary<string, string?>>(await CallAsync(session, "mine__get_env", new() { ["names"] = "HOME" }))!;
            Assert.Equal(Path.Combine(_workspace, ".home"), values["HOME"]);
            Assert.Equal("5", await CallAsync(session, "mine__add", new() { ["a"] = 2, ["b"] = 3 }));
            await _logs.WaitForAsync(e => e.Message.Contains("/bwrap", StringComparison.Ordinal)); // the SDK started bwrap, not dotnet

            // A server that prints what it finds in a folder of the runner, then exits.
            var peek = new McpServerReference
            {
                Name = "peek",
                Command = "/bin/sh",
                Args = ["-c", $"echo \"peek: $(cat {hidden}/secret 2>&1)\" >&2; sleep 1; exit 1"],
            };
            var options = new McpOptions { Environment = new Dictionary<string, string?>(), Sandbox = sandbox, Timeout = TimeSpan.FromSeconds(60) };
            var ex = await Assert.ThrowsAsync<McpServerException>(() => new McpServerManager(options, _logs.Factory()).StartAsync([peek], Context([]), Ct));
            Assert.Contains("peek: ", ex.Message, StringComparison.Ordinal);
            Assert.Contains("No such file or directory", ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("runner-only", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(hidden, recursive: true);
        }
    }

    [Fact]
    public async Task Under_SANDBOX_required_a_server_that_cannot_be_confined_fails_the_activation_naming_the_setting()
    {
        var sandbox = new ChildSandbox(SandboxMode.Required, "/usr/bin:/bin", [], [], _logs.Factory().CreateLogger("test"), bubblewrap: "/nonexistent/bwrap");
        var ex = await Assert.ThrowsAsync<McpServerException>(() => StartAsync(sandbox));

        Assert.StartsWith("MCP server 'mine' cannot start: SANDBOX=required, but this host cannot confine child processes: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_postgres_server_gets_DATABASE_URL_through_its_environment_never_on_a_command_line()
    {
        var manager = new McpServerManager(new McpOptions { Environment = new Dictionary<string, string?> { ["DATABASE_URL"] = DatabaseUrl } }, _logs.Factory());
        var launch = Assert.Single(manager.Describe([new McpServerReference { Name = "postgres" }], Context(["postgres:read"])));
        Assert.DoesNotContain(launch.CommandLine, a => a.Contains("db-password", StringComparison.Ordinal));
        Assert.Equal(DatabaseUrl, launch.Environment["DATABASE_URL"]);

        // Run the launch as the runner would, with a stand-in npx and package: the package's program receives the URL
        // as its argument, and no process on the way has it on its command line.
        var fake = FakePostgresPackage();
        var record = Path.Combine(fake, "record.json");
        var start = new ProcessStartInfo(Path.Combine(fake, "bin", launch.CommandLine[0])) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in launch.CommandLine.Skip(1))
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Clear();
        start.Environment["PATH"] = Path.Combine(fake, "bin") + ":/usr/local/bin:/usr/bin:/bin";
        start.Environment["FAKE_PACKAGE_BIN"] = Path.Combine(fake, "package", "bin");
        start.Environment["FAKE_RECORD"] = record;
        foreach (var (key, value) in launch.Environment)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = await process.StandardError.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);
        Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}: {stderr}");

        var seen = JsonSerializer.Deserialize<JsonElement>(await File.ReadAllTextAsync(record, Ct));
        Assert.Equal(DatabaseUrl, seen.GetProperty("argument").GetString());
        Assert.EndsWith("server.js", seen.GetProperty("main").GetString(), StringComparison.Ordinal);
        foreach (var commandLine in new[] { seen.GetProperty("cmdline").GetString()!, seen.GetProperty("parent").GetString()!, await File.ReadAllTextAsync(Path.Combine(fake, "npx-argv"), Ct) })
        {
            Assert.DoesNotContain("db-password", commandLine, StringComparison.Ordinal);
        }

        Assert.Contains("-e", seen.GetProperty("cmdline").GetString()!, StringComparison.Ordinal); // it was the launcher's node
    }

    /// <summary>
    /// A folder with <c>bin/npx</c> (records its arguments, puts the package's bin on PATH, runs the command) and a
    /// package whose <c>mcp-server-postgres</c> records its argument and command lines as JSON.
    /// </summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private string FakePostgresPackage()
    {
        var root = Path.Combine(_workspace, "fake-npm");
        Directory.CreateDirectory(Path.Combine(root, "bin"));
        Directory.CreateDirectory(Path.Combine(root, "package", "bin"));
        Directory.CreateDirectory(Path.Combine(root, "package", "dist"));
        Write(Path.Combine(root, "bin", "npx"), $$"""
            #!/bin/bash
            printf '%s ' "$@" > '{{root}}/npx-argv'
            while [ $# -gt 0 ]; do
              case "$1" in
                -y) shift ;;
                -p) shift 2 ;;
                *) break ;;
              esac
            done
            PATH="$FAKE_PACKAGE_BIN:$PATH" exec "$@"
            """);
        File.WriteAllText(Path.Combine(root, "package", "dist", "server.js"), """
            const fs = require('node:fs');
            const read = p => { try { return fs.readFileSync(p, 'utf8').split('\0').join(' '); } catch (e) { return 'unreadable: ' + e.message; } };
            fs.writeFileSync(process.env.FAKE_RECORD, JSON.stringify({
              argument: process.argv[2],
              main: process.argv[1],
              cmdline: read('/proc/self/cmdline'),
              parent: read('/proc/' + process.ppid + '/cmdline'),
            }));
            """);
        File.CreateSymbolicLink(Path.Combine(root, "package", "bin", "mcp-server-postgres"), Path.Combine(root, "package", "dist", "server.js"));
        return root;
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void Write(string path, string script)
    {
        File.WriteAllText(path, script.ReplaceLineEndings("\n"));
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private Task<McpSession> StartAsync(ChildSandbox? sandbox)
    {
        var custom = new McpServerReference { Name = "mine", Command = "dotnet", Args = [TestServerPaths.Assembly] };
        var options = new McpOptions { Environment = new Dictionary<string, string?>(), Sandbox = sandbox, Timeout = TimeSpan.FromSeconds(60) };
        return new McpServerManager(options, _logs.Factory()).StartAsync([custom], Context([]), Ct);
    }

    private McpStartContext Context(string[] grants)
        => new() { AgentName = "tester", ActivationId = "act-iso", Grants = EffectiveGrants.Evaluate("tester", grants, PermissionsPolicy.None), WorkspaceDirectory = _workspace };

    private static async Task<string> CallAsync(McpSession session, string tool, AIFunctionArguments arguments)
    {
        var function = (AIFunction)session.Tools.Single(t => t.Name == tool);
        return McpServerManagerTests.ResultText(await function.InvokeAsync(arguments, Ct));
    }

    private static void RequireBubblewrap()
    {
        if (File.Exists("/usr/bin/bwrap") || File.Exists("/usr/local/bin/bwrap"))
        {
            return;
        }

        if (RepositoryPaths.IsCi)
        {
            Assert.Fail("bwrap (bubblewrap) is not installed; CI must run the sandbox tests (test.sh installs it)");
        }

        Assert.Skip("bwrap (bubblewrap) is not installed");
    }
}
