using System.Text.RegularExpressions;
using Botburrow.Agents.Testing;
using Botburrow.Deployment.Tests.Containers;
using Botburrow.Deployment.Tests.Manifests;
using k8s.Models;
using Xunit;

namespace Botburrow.Deployment.Tests;

public sealed partial class DocumentationTests
{
    private static readonly string Text = File.ReadAllText(Path.Combine(RepositoryPaths.RepositoryRoot, "docs", "deployment.md"));

    [Fact]
    public void DeploymentPage_NamesOnlyFilesThatExist()
    {
        var paths = RepositoryPath().Matches(Text).Select(m => m.Value.TrimEnd('/', '.')).Distinct().ToList();
        Assert.NotEmpty(paths);
        Assert.All(paths, p => Assert.True(
            File.Exists(Path.Combine(RepositoryPaths.RepositoryRoot, p)) || Directory.Exists(Path.Combine(RepositoryPaths.RepositoryRoot, p)),
            $"docs/deployment.md names {p}, which does not exist"));
    }

    [Fact]
    public void DeploymentPage_ListsTheRunnerBuildArgumentsWithTheirDefaults()
    {
        var runner = Dockerfile.Load().Stage("runner");
        foreach (var arg in runner.All("ARG").Select(a => a.Arguments.Split('=', 2)).Where(p => p[0].EndsWith("_VERSION", StringComparison.Ordinal)))
        {
            Assert.Contains($"| `{arg[0]}` | `{arg[1]}` |", Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void DeploymentPage_UsesTheImageTagOfTheOverlay()
    {
        var tag = ImageReference.Split(Fleet.Overlay.Get<V1Deployment>("coordinator").Spec.Template.Spec.Containers.Single().Image).Tag;
        Assert.Contains($"{Images.Repository}:{tag}", Text, StringComparison.Ordinal);
        Assert.Contains($"{Images.RunnerRepository}:{tag}", Text, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"(?<![\w/.-])(k8s|tests|docs)/[A-Za-z0-9._/-]*[A-Za-z0-9_/-]")]
    private static partial Regex RepositoryPath();
}
