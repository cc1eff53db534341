using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Botburrow.Agents.Configuration;
using Botburrow.Agents.Testing;
using Botburrow.Deployment.Tests.Containers;
using Botburrow.Deployment.Tests.Manifests;
using Xunit;

namespace Botburrow.Deployment.Tests;

public sealed partial class DockerfileTests
{
    private static readonly Dockerfile File = Dockerfile.Load();

    public static TheoryData<string> Targets() => ["runtime", "runner"];

    [Fact]
    public void BaseImages_ArePinnedToExactVersions()
    {
        foreach (var stage in File.Stages.Where(s => !File.IsStage(s.From)))
        {
            var (name, tag) = ImageReference.Split(stage.From);
            Assert.DoesNotContain("$", stage.From, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(tag) || tag == "latest", $"stage {stage.Name}: {stage.From} is not pinned");
            Assert.Matches(ExactVersion(), tag);
            Assert.False(string.IsNullOrEmpty(name));
        }
    }

    [Fact]
    public void BuildsWithTheSdk_AndRunsOnTheAspNetRuntime_OfOurTargetFramework()
    {
        var targetFramework = XDocument.Load(Path.Combine(RepositoryPaths.RepositoryRoot, "Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        var frameworkVersion = targetFramework["net".Length..];
        using var globalJson = JsonDocument.Parse(System.IO.File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, "global.json")));
        var sdkMajor = globalJson.RootElement.GetProperty("sdk").GetProperty("version").GetString()!.Split('.')[0];

        var sdk = ImageReference.Split(File.Stage("build").From);
        Assert.Equal("mcr.microsoft.com/dotnet/sdk", sdk.Name);
        Assert.StartsWith(sdkMajor + ".", sdk.Tag, StringComparison.Ordinal);

        foreach (var target in new[] { "runtime", "runner" })
        {
            var runtime = ImageReference.Split(File.BaseImageOf(target));
            Assert.Equal("mcr.microsoft.com/dotnet/aspnet", runtime.Name);
            Assert.StartsWith(frameworkVersion + ".", runtime.Tag, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DefaultTarget_IsThePlainRuntime()
    {
        Assert.Equal("runtime", File.Stages[^1].Name);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Targets_RunAsANumericNonRootUser(string target)
    {
        var user = File.UserOf(target);
        Assert.NotNull(user);
        Assert.NotEqual("root", user);
        Assert.True(int.TryParse(user, out var uid) && uid > 0, $"USER {user} must be a non-zero numeric UID so Kubernetes can verify runAsNonRoot");
        Assert.Equal(user, File.Stage(target).All("USER").LastOrDefault()?.Arguments.Split(':')[0] ?? user);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Entrypoint_RunsTheBotburrowExecutable(string target)
    {
        var entrypoint = File.Last(target, "ENTRYPOINT");
        Assert.NotNull(entrypoint);
        var words = JsonSerializer.Deserialize<string[]>(entrypoint.Arguments)!;
        var executable = Assert.Single(words, w => Path.GetFileName(w) == "botburrow");

        var assemblyName = XDocument.Load(Path.Combine(RepositoryPaths.RepositoryRoot, "src", "Botburrow.Cli", "Botburrow.Cli.csproj")).Descendants("AssemblyName").Single().Value;
        Assert.Equal(assemblyName, Path.GetFileName(executable));

        // The executable is where the build stage publishes and the runtime stage copies it.
        var publish = File.Stage("build").All("RUN").Single(r => r.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
        var output = Regex.Match(publish.Arguments, @"--output\s+(\S+)").Groups[1].Value;
        Assert.Contains(File.Chain(target).SelectMany(s => s.All("COPY")), c => c.Option("from") == "build" && c.Operands[0].TrimEnd('/') == output && Path.GetDirectoryName(executable) == c.Operands[^1].TrimEnd('/'));
        Assert.Contains("src/Botburrow.Cli/Botburrow.Cli.csproj", publish.Arguments, StringComparison.Ordinal);
    }

    [Fact]
    public void Commands_MatchTheVerbsOfTheManifests()
    {
        Assert.Equal(["coordinator"], JsonSerializer.Deserialize<string[]>(File.Last("runtime", "CMD")!.Arguments)!);
        Assert.Equal("runner", JsonSerializer.Deserialize<string[]>(File.Last("runner", "CMD")!.Arguments)![0]);
    }

    [Fact]
    public void CopySources_ExistAndAreNotExcludedByDockerignore()
    {
        var ignore = DockerIgnore.Load();
        foreach (var copy in File.Stages.SelectMany(s => s.All("COPY").Concat(s.All("ADD"))))
        {
            var from = copy.Option("from");
            if (from is not null)
            {
                Assert.True(File.IsStage(from), $"line {copy.Line}: COPY --from={from} names no stage");
                continue;
            }

            foreach (var source in copy.Operands.Take(copy.Operands.Count - 1))
            {
                var path = Path.Combine(RepositoryPaths.RepositoryRoot, source);
                Assert.True(System.IO.File.Exists(path) || Directory.Exists(path), $"line {copy.Line}: COPY source {source} does not exist");
                Assert.False(ignore.Excludes(source.TrimEnd('/')), $"line {copy.Line}: COPY source {source} is excluded by .dockerignore");
            }
        }
    }

    [Fact]
    public void FilesTheSourceProjectsIncludeFromOutsideSrc_AreInTheBuildContext()
    {
        // A project that embeds, say, ../../examples/… builds here but not in the image unless the build stage copies it.
        var ignore = DockerIgnore.Load();
        var copied = File.Stage("build").All("COPY").Where(c => c.Option("from") is null)
            .SelectMany(c => c.Operands.Take(c.Operands.Count - 1)).Select(s => s.TrimEnd('/')).ToList();
        var root = RepositoryPaths.RepositoryRoot;
        foreach (var project in Directory.EnumerateFiles(Path.Combine(root, "src"), "*.csproj", SearchOption.AllDirectories))
        {
            foreach (var item in XDocument.Load(project).Descendants().Where(e => e.Name.LocalName != "ProjectReference"))
            {
                foreach (var include in new[] { item.Attribute("Include")?.Value, item.Attribute("Update")?.Value }.OfType<string>())
                {
                    if (!include.Contains("..", StringComparison.Ordinal) || include.Contains("$(", StringComparison.Ordinal))
                    {
                        continue;
                    }

                    var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(project)!, include.Replace('\\', '/')));
                    var relative = Path.GetRelativePath(root, full).Replace('\\', '/');
                    Assert.False(relative.StartsWith("..", StringComparison.Ordinal), $"{Path.GetFileName(project)} includes {include}, outside the repository and so outside the image's build context");
                    var fixedPart = relative.Split('*')[0].TrimEnd('/');
                    Assert.True(copied.Any(c => fixedPart == c || fixedPart.StartsWith(c + "/", StringComparison.Ordinal)), $"{Path.GetFileName(project)} includes {include}; the Dockerfile's build stage must COPY it");
                    Assert.False(ignore.Excludes(fixedPart), $"{Path.GetFileName(project)} includes {include}, which .dockerignore excludes");
                }
            }
        }
    }

    [Fact]
    public void Dockerignore_KeepsBuildOutputAndTheRepositoryOutOfTheContext()
    {
        var ignore = DockerIgnore.Load();
        Assert.True(ignore.Excludes("src/Botburrow.Cli/bin"));
        Assert.True(ignore.Excludes("src/Botburrow.Cli/obj"));
        Assert.True(ignore.Excludes(".git"));
        Assert.False(ignore.Excludes("src/Botburrow.Cli/Program.cs"));
    }

    [Fact]
    public void ExposedPorts_AreTheMetricsPortsOfTheManifests()
    {
        var exposed = File.Chain("runtime").SelectMany(s => s.All("EXPOSE")).SelectMany(e => e.Words).Select(int.Parse).ToHashSet();
        var used = Fleet.Overlay.BotburrowWorkloads.SelectMany(w => w.BotburrowContainers).SelectMany(c => c.Ports).Select(p => p.ContainerPort).ToHashSet();
        Assert.Equal([9090, 9091], exposed.Order());
        Assert.Equal(exposed.Order(), used.Order());
    }

    [Fact]
    public void ImageEnvironment_SetsOnlySettingsOrRuntimeVariables()
    {
        foreach (var env in File.Chain("runner").SelectMany(s => s.All("ENV")))
        {
            foreach (var name in EnvAssignment().Matches(env.Arguments).Select(m => m.Groups[1].Value))
            {
                Assert.True(name.StartsWith("DOTNET_", StringComparison.Ordinal) || name == "HOME" || SettingsCatalog.Find(name) is not null, $"ENV {name} is neither a setting nor a runtime variable");
            }
        }
    }

    [Fact]
    public void RuntimeImage_HasTheToolsTheGuideRunsInPods()
    {
        // kubectl exec … -- curl $HUB_URL/api/v1/health; kubectl exec … -- redis-cli -h valkey… ping
        var install = string.Join(" ", File.Stage("app").All("RUN").Select(r => r.Arguments));
        Assert.Contains("curl", install, StringComparison.Ordinal);
        Assert.Contains("redis-tools", install, StringComparison.Ordinal);
    }

    [Fact]
    public void RunnerTarget_InstallsNodeAndEveryCliExecutor_ThroughBuildArguments()
    {
        var runner = File.Stage("runner");
        Assert.Equal("app", runner.From);
        var args = runner.All("ARG").Select(a => a.Arguments.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        var run = string.Join("\n", runner.All("RUN").Select(r => r.Arguments));

        (string Arg, string Install)[] executors =
        [
            ("CLAUDE_CODE_VERSION", "npm install -g \"@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}\""),
            ("OPENCODE_VERSION", "npm install -g \"opencode-ai@${OPENCODE_VERSION}\""),
            ("AIDER_VERSION", "\"aider-chat==${AIDER_VERSION}\""),
            ("GOOSE_VERSION", "block/goose/releases/download/${GOOSE_VERSION}/"),
        ];
        foreach (var (arg, install) in executors)
        {
            Assert.True(args.TryGetValue(arg, out var version), $"runner stage declares no ARG {arg}");
            Assert.False(string.IsNullOrEmpty(version) || version is "latest" or "stable", $"ARG {arg} default '{version}' is not a pinned version");
            Assert.Contains(install, run, StringComparison.Ordinal);
            Assert.Contains($"if [ -n \"${{{arg}}}\" ]", run, StringComparison.Ordinal);
        }

        Assert.Contains(runner.All("COPY"), c => c.Option("from") == "node" && c.Operands[0] == "/usr/local/bin/node");
        Assert.Equal("root", runner.All("USER").First().Arguments);
        Assert.NotEqual("root", File.UserOf("runner"));
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[a-z0-9.-]+)?$")]
    private static partial Regex ExactVersion();

    [GeneratedRegex(@"(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=")]
    private static partial Regex EnvAssignment();
}
